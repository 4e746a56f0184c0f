package normalize

import "testing"

type okCase struct {
	in, want string
	ok       bool
}

func runOK(t *testing.T, name string, fn func(string) (string, bool), cases []okCase) {
	t.Helper()
	for _, c := range cases {
		got, ok := fn(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("%s(%q) = %q, %v; want %q, %v", name, c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestEmail(t *testing.T) {
	runOK(t, "Email", Email, []okCase{
		{"jane@acme.com", "jane@acme.com", true},
		{`"Jane Doe" <JANE@Acme.com>`, "jane@acme.com", true},
		{"Jane Doe <jane@acme.com>", "jane@acme.com", true},
		{"  Jane@Acme.COM  ", "jane@acme.com", true},
		{"mailto:Jane@Acme.com?subject=Hi", "jane@acme.com", true},
		{"MAILTO:jane@acme.com", "jane@acme.com", true},
		{"<jane@acme.com>", "jane@acme.com", true},
		{"jane@acme.com;", "jane@acme.com", true},
		{"jane.doe+crm@acme.co.uk", "jane.doe+crm@acme.co.uk", true},
		{"jane@acme.com.", "jane@acme.com", true},
		{"jürgen@müller.de", "jürgen@xn--mller-kva.de", true},
		{"O'Brien@Example.IE", "o'brien@example.ie", true},
		{"a@@b.com", "", false},
		{"a@b@c.com", "", false},
		{"@acme.com", "", false},
		{"jane@", "", false},
		{"jane@acme", "", false},
		{"jane@acme..com", "", false},
		{"jane@-acme.com", "", false},
		{"jane doe@acme.com", "", false},
		{"jane..doe@acme.com", "", false},
		{".jane@acme.com", "", false},
		{"", "", false},
		{"Jane Doe", "", false},
		{"jane(at)acme.com", "", false},
		{"jane@acme_corp.com", "", false},
		{"\xff@acme.com", "", false},
	})
}

func TestEmailDomain(t *testing.T) {
	runOK(t, "EmailDomain", EmailDomain, []okCase{
		{"jane@acme.com", "acme.com", true},
		{"Jane <jane@eu.Acme.co.uk>", "acme.co.uk", true},
		{"jane@gmail.com", "", false},
		{"jane@yahoo.co.uk", "", false},
		{"jane@hotmail.fr", "", false},
		{"jane@GMX.de", "", false},
		{"not an email", "", false},
		{"jane@co.uk", "", false},
	})
}

func TestIsGenericEmail(t *testing.T) {
	cases := map[string]bool{"info@acme.com": true, "sales+eu@acme.com": true,
		"no-reply@acme.com": true, "jane@acme.com": false, "information@acme.com": false,
		"not-an-email": false, "kontakt@firma.de": true}
	for in, want := range cases {
		if got := IsGenericEmail(in); got != want {
			t.Errorf("IsGenericEmail(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestDomain(t *testing.T) {
	runOK(t, "Domain", Domain, []okCase{
		{"acme.com", "acme.com", true},
		{"https://WWW.Acme.co.uk:8080/about", "acme.co.uk", true},
		{"http://www.acme.com/x", "acme.com", true},
		{"www.acme.com", "acme.com", true},
		{"ACME.COM", "acme.com", true},
		{"acme.com/contact", "acme.com", true},
		{"https://acme.com/about?x=1#top", "acme.com", true},
		{"http://WWW.Acme.de:8080/", "acme.de", true},
		{"https://shop.eu.acme.com.br", "acme.com.br", true},
		{"//acme.nl", "acme.nl", true},
		{"acme.com.", "acme.com", true},
		{"https://user:pw@acme.com", "acme.com", true},
		{"müller.de", "xn--mller-kva.de", true},
		{"https://www.müller.de/impressum", "xn--mller-kva.de", true},
		{"xn--mller-kva.de", "xn--mller-kva.de", true},
		{"东京.co.jp", "xn--xhqpn.co.jp", true},
		{"acme.github.io", "acme.github.io", true},
		{"co.uk", "", false},
		{"com", "", false},
		{"localhost", "", false},
		{"acme.notatld", "", false},
		{"192.168.1.10", "", false},
		{"http://[::1]/", "", false},
		{"", "", false},
		{"   ", "", false},
		{"acme .com", "", false},
		{"https://", "", false},
		{"acme_corp.com", "", false},
		{"-acme.com", "", false},
	})
}

func TestLinkedIn(t *testing.T) {
	const jd = LinkedInPrefix + "jane-doe-1a2b3c"
	runOK(t, "LinkedIn", LinkedIn, []okCase{
		{"https://www.linkedin.com/in/jane-doe-1a2b3c", jd, true},
		{"https://www.linkedin.com/in/jane-doe-1a2b3c/", jd, true},
		{"http://linkedin.com/in/jane-doe-1a2b3c", jd, true},
		{"www.linkedin.com/in/jane-doe-1a2b3c", jd, true},
		{"linkedin.com/in/Jane-Doe-1A2B3C", jd, true},
		{"https://uk.linkedin.com/in/jane-doe-1a2b3c?trk=public_profile", jd, true},
		{"https://de.linkedin.com/in/jane-doe-1a2b3c/details/experience/", jd, true},
		{"https://m.linkedin.com/in/jane-doe-1a2b3c#about", jd, true},
		{"HTTPS://WWW.LINKEDIN.COM/IN/JANE-DOE-1A2B3C", jd, true},
		{"https://www.linkedin.com/in/j%C3%BCrgen-m", LinkedInPrefix + "j%C3%BCrgen-m", true},
		{"https://www.linkedin.com/in/J%C3%9CRGEN-M", LinkedInPrefix + "j%C3%BCrgen-m", true},
		{"https://www.linkedin.com/company/acme", "", false},
		{"https://www.linkedin.com/in/", "", false},
		{"https://www.linkedin.com/pub/jane-doe/1/2/3", "", false},
		{"https://notlinkedin.com/in/jane", "", false},
		{"https://linkedin.com.evil.io/in/jane", "", false},
		{"ftp://linkedin.com/in/jane", "", false},
		{"jane-doe", "", false},
		{"https://www.linkedin.com/in/jane doe", "", false},
		{"https://www.linkedin.com/in/jane%20doe", "", false},
		{"", "", false},
	})
}

func TestPhone(t *testing.T) {
	cases := []struct{ in, region, want string }{
		{"(415) 555-0132", "US", "+14155550132"},
		{"+1 415 555 0132", "", "+14155550132"},
		{"415.555.0132", "us", "+14155550132"},
		{"1-415-555-0132", "US", "+14155550132"},
		{"+1 (415) 555-0132 ext. 12", "US", "+14155550132"},
		{"tel:+14155550132", "", "+14155550132"},
		{"020 7946 0018", "GB", "+442079460018"},
		{"+44 (0)20 7946 0018", "US", "+442079460018"},
		{"07400 123456", "GB", "+447400123456"},
		{"0049 30 1234567", "DE", "+49301234567"},
		{"0049 30 1234567", "US", "+49301234567"},
		{"030 1234567", "DE", "+49301234567"},
		{"030/1234567", "DE", "+49301234567"},
		{"+49 (0)30 1234567", "", "+49301234567"},
		{"01 42 68 53 00", "FR", "+33142685300"},
		{"(11) 99876-5432", "BR", "+5511998765432"},
		{"03-1234-5678", "JP", "+81312345678"},
		{"+14155550132", "ZZ", "+14155550132"},
		{"(415) 555-0132", "", ""},
		{"030 1234567", "US", ""},
		{"000-000-0000", "US", ""},
		{"12", "US", ""},
		{"call me", "US", ""},
		{"", "US", ""},
	}
	for _, c := range cases {
		got, ok := Phone(c.in, c.region)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("Phone(%q, %q) = %q, %v; want %q", c.in, c.region, got, ok, c.want)
		}
	}
}

func TestPhoneExt(t *testing.T) {
	e, ext, ok := PhoneExt("+1 415 555 0132 x204", "")
	if e != "+14155550132" || ext != "204" || !ok {
		t.Errorf("PhoneExt = %q, %q, %v; want +14155550132, 204, true", e, ext, ok)
	}
}

func TestRegion(t *testing.T) {
	runOK(t, "Region", Region, []okCase{
		{"US", "US", true}, {"de", "DE", true}, {"UK", "GB", true}, {"Germany", "DE", true},
		{" United  States ", "US", true}, {"España", "ES", true}, {"XX", "", false},
		{"", "", false}, {"Atlantis", "", false}, {"ZZ", "", false},
	})
}

func TestName(t *testing.T) {
	cases := []struct{ first, last, want string }{
		{"Jane", "Doe", "jane doe"},
		{"  JANE ", " doe  ", "jane doe"},
		{"José", "Pérez", "jose perez"},
		{"Jürgen", "Müller", "jurgen muller"},
		{"Chloë", "O'Brien", "chloe obrien"},
		{"Jean-Luc", "Picard", "jean luc picard"},
		{"Søren", "Weiß", "soren weiss"},
		{"Łukasz", "Dąbrowski", "lukasz dabrowski"},
		{"Anna", "de Vries", "anna de vries"},
		{"J.R.R.", "Tolkien", "jrr tolkien"},
		{"ﬁona", "Ｓmith", "fiona smith"},
		{"太郎", "山田", "太郎 山田"},
		{"", "", ""},
		{"Dr. Jane", "Doe, PhD", "dr jane doe phd"},
	}
	for _, c := range cases {
		if got := Name(c.first, c.last); got != c.want {
			t.Errorf("Name(%q, %q) = %q, want %q", c.first, c.last, got, c.want)
		}
	}
}

func TestNameKey(t *testing.T) {
	same := [][2][2]string{
		{{"Jon", "Smith"}, {"John", "Smith"}},
		{{"Bill", "Walker"}, {"William", "Walker"}},
		{{"Bob", "Brown"}, {"Robert", "Brown"}},
		{{"Liz", "Taylor"}, {"Elizabeth", "Taylor"}},
		{{"Pepe", "Fernández"}, {"José", "Fernandez"}},
		{{"Dr. Mike", "Doe Jr."}, {"Michael", "Doe"}},
		{{"Kate", "Smith"}, {"Katherine", "Smith"}},
	}
	for _, p := range same {
		a, b := NameKey(p[0][0], p[0][1]), NameKey(p[1][0], p[1][1])
		if a != b {
			t.Errorf("NameKey(%v) = %q, NameKey(%v) = %q; want equal", p[0], a, p[1], b)
		}
	}
	if a, b := NameKey("Jane", "Doe"), NameKey("John", "Doe"); a == b {
		t.Errorf("NameKey(Jane Doe) = NameKey(John Doe) = %q; want different", a)
	}
}

func TestCompanyName(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Acme, Inc.", "acme"},
		{"ACME Inc", "acme"},
		{"Acme Corp.", "acme"},
		{"Acme LLC", "acme"},
		{"Acme Ltd", "acme"},
		{"Acme Co., Ltd.", "acme"},
		{"Müller Bau GmbH & Co. KG", "muller bau"},
		{"Nord Systems S.A.", "nord systems"},
		{"Société Générale SA", "societe generale"},
		{"Blue Labs B.V.", "blue labs"},
		{"Rapid Freight Pty Ltd", "rapid freight"},
		{"Zenith Health Pvt Ltd", "zenith health"},
		{"Crédit Foods Ltda.", "credit foods"},
		{"Summit S.L.", "summit"},
		{"Iron Works plc", "iron works"},
		{"株式会社東京 商事", "東京 商事"},
		{"東京 商事", "東京 商事"},
		{"Company Inc", "company"},
		{"Inc", "inc"},
		{"  ", ""},
	}
	for _, c := range cases {
		if got := CompanyName(c.in); got != c.want {
			t.Errorf("CompanyName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestIsSharedDomain(t *testing.T) {
	cases := map[string]bool{"gmail.com": true, "yahoo.co.uk": true, "linkedin.com": true,
		"acme.com": false, "outlook.de": true}
	for in, want := range cases {
		if got := IsSharedDomain(in); got != want {
			t.Errorf("IsSharedDomain(%q) = %v, want %v", in, got, want)
		}
	}
}
