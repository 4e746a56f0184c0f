package gen

// name is a display form and the ASCII form used to build addresses and URLs.
type name struct{ display, ascii string }

// country holds what the generator needs to make people and companies of one country.
type country struct {
	code   string // ISO region, also the phone region
	tld    string
	legal  []string // legal-form suffixes of company names
	cities []string
	first  []name
	last   []name
}

var (
	anglo = []name{{"John", "john"}, {"Jane", "jane"}, {"Michael", "michael"},
		{"Katherine", "katherine"}, {"William", "william"}, {"Robert", "robert"},
		{"Elizabeth", "elizabeth"}, {"Emily", "emily"}, {"David", "david"}, {"Sarah", "sarah"},
		{"Chloë", "chloe"}, {"Zoë", "zoe"}, {"Aidan", "aidan"}, {"Priya", "priya"}}
	angloLast = []name{{"Smith", "smith"}, {"Doe", "doe"}, {"Johnson", "johnson"},
		{"O'Brien", "obrien"}, {"Taylor", "taylor"}, {"Brown", "brown"}, {"Walker", "walker"},
		{"Nguyen", "nguyen"}, {"Patel", "patel"}, {"García", "garcia"}, {"Kowalski", "kowalski"}}
	german = []name{{"Jürgen", "juergen"}, {"Jörg", "joerg"}, {"Anna", "anna"},
		{"Lukas", "lukas"}, {"Søren", "soeren"}, {"Katharina", "katharina"}, {"Felix", "felix"}}
	germanLast = []name{{"Müller", "mueller"}, {"Schröder", "schroeder"}, {"Weiß", "weiss"},
		{"Becker", "becker"}, {"Hoffmann", "hoffmann"}, {"Köhler", "koehler"}}
	french = []name{{"François", "francois"}, {"Hélène", "helene"}, {"Amélie", "amelie"},
		{"Jérôme", "jerome"}, {"Luc", "luc"}, {"Inès", "ines"}}
	frenchLast = []name{{"Lefèvre", "lefevre"}, {"Dubois", "dubois"}, {"Bérubé", "berube"},
		{"Martin", "martin"}, {"Girard", "girard"}}
	japanese = []name{{"太郎", "taro"}, {"花子", "hanako"}, {"健", "ken"}, {"由美", "yumi"}}
	japLast  = []name{{"山田", "yamada"}, {"佐藤", "sato"}, {"鈴木", "suzuki"}, {"高橋", "takahashi"}}
	iberian  = []name{{"José", "jose"}, {"María", "maria"}, {"João", "joao"}, {"Lucía", "lucia"},
		{"Andrés", "andres"}}
	iberLast = []name{{"Gonçalves", "goncalves"}, {"Fernández", "fernandez"}, {"Pérez", "perez"},
		{"Silva", "silva"}, {"Núñez", "nunez"}}
	dutch     = []name{{"Sjoerd", "sjoerd"}, {"Femke", "femke"}, {"Daan", "daan"}, {"Eline", "eline"}}
	dutchLast = []name{{"de Vries", "devries"}, {"van Dijk", "vandijk"}, {"Jansen", "jansen"}}
	indian    = []name{{"Priya", "priya"}, {"Arjun", "arjun"}, {"Ananya", "ananya"}, {"Rahul", "rahul"}}
	indLast   = []name{{"Sharma", "sharma"}, {"Iyer", "iyer"}, {"Reddy", "reddy"}, {"Gupta", "gupta"}}
)

// countries are weighted by repetition in countryPool.
var countries = []country{
	{"US", ".com", []string{"Inc.", "LLC", "Corp."}, []string{"San Francisco", "New York", "Austin", "Chicago"}, anglo, angloLast},
	{"GB", ".co.uk", []string{"Ltd", "plc"}, []string{"London", "Manchester", "Leeds"}, anglo, angloLast},
	{"DE", ".de", []string{"GmbH", "AG"}, []string{"Berlin", "München", "Köln"}, german, germanLast},
	{"FR", ".fr", []string{"SA", "SARL"}, []string{"Paris", "Lyon", "Marseille"}, french, frenchLast},
	{"JP", ".co.jp", []string{"株式会社"}, []string{"東京", "大阪"}, japanese, japLast},
	{"NL", ".nl", []string{"B.V."}, []string{"Amsterdam", "Rotterdam"}, dutch, dutchLast},
	{"ES", ".es", []string{"S.L.", "S.A."}, []string{"Madrid", "Barcelona"}, iberian, iberLast},
	{"BR", ".com.br", []string{"Ltda."}, []string{"São Paulo", "Rio de Janeiro"}, iberian, iberLast},
	{"IN", ".in", []string{"Pvt Ltd"}, []string{"Bengaluru", "Mumbai"}, indian, indLast},
	{"CA", ".ca", []string{"Inc."}, []string{"Toronto", "Vancouver"}, anglo, angloLast},
	{"AU", ".com.au", []string{"Pty Ltd"}, []string{"Sydney", "Melbourne"}, anglo, angloLast},
}

// countryPool weights countries: US most, then GB and DE.
var countryPool = []int{0, 0, 0, 0, 0, 1, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10}

// nicknames maps a first name to a variant the same person goes by.
var nicknames = map[string]string{"John": "Jon", "William": "Bill", "Katherine": "Kate",
	"Michael": "Mike", "Robert": "Bob", "Elizabeth": "Liz", "David": "Dave",
	"Katharina": "Kathi", "José": "Pepe"}

// Company name parts: the ASCII slugs of each list are distinct, so prefix-root pairs give
// distinct domains.
var (
	coPrefix = []name{{"Acme", "acme"}, {"Nord", "nord"}, {"Blue", "blue"}, {"Société", "societe"},
		{"Müller", "mueller"}, {"Global", "global"}, {"Bright", "bright"}, {"Iron", "iron"},
		{"Silver", "silver"}, {"Crédit", "credit"}, {"Zenith", "zenith"}, {"Polar", "polar"},
		{"Rapid", "rapid"}, {"Öko", "oeko"}, {"Summit", "summit"}, {"Harbor", "harbor"},
		{"Quantum", "quantum"}, {"Lumen", "lumen"}, {"Nova", "nova"}, {"Cedar", "cedar"},
		{"東京", "tokyo"}, {"Sakura", "sakura"}, {"Maple", "maple"}, {"Atlas", "atlas"}}
	coRoot = []name{{" Générale", "generale"}, {" Labs", "labs"}, {" Systems", "systems"},
		{"soft", "soft"}, {" Logistics", "logistics"}, {" Analytics", "analytics"},
		{" Bau", "bau"}, {" Partners", "partners"}, {" Health", "health"}, {" Energy", "energy"},
		{" Foods", "foods"}, {"works", "works"}, {" Capital", "capital"}, {" Media", "media"},
		{" Robotics", "robotics"}, {" Freight", "freight"}, {" Cloud", "cloud"},
		{" 商事", "shoji"}, {" Dynamics", "dynamics"}, {" Textil", "textil"}}
	industries = []string{"Software", "Manufacturing", "Logistics", "Healthcare", "Finance",
		"Retail", "Energy", "Media", "Construction", "Food & Beverage"}
	titles = []string{"CEO", "CTO", "VP Sales", "Head of Operations", "Procurement Manager",
		"Marketing Director", "Account Executive", "Founder", "Directeur Commercial",
		"Geschäftsführer", "営業部長", "Office Manager", ""}
	personalDomains = []string{"gmail.com", "outlook.com", "yahoo.com", "gmx.de", "icloud.com"}
)
