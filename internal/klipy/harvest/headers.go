package harvest

import (
	"fmt"
	"strings"

	"ferry/internal/plan/normalize"
	"ferry/internal/source"
)

// commonAliases lists, per canonical field, the other header spellings that mean it in every
// kind whose source.Standard list has that field, in English, German, French, Spanish and
// Dutch. The canonical name itself always matches. Matching folds case, accents, spaces and
// punctuation (see normalizeHeader), so "First Name", "first_name", "FirstName" and
// "first-name" are one entry, and so are "Fällig am" and "Faellig am"'s folded "fallig am"
// (write both spellings of an umlaut when exports use both).
var commonAliases = map[string][]string{
	"first_name": {"First Name", "Given Name", "First", "Forename", "Vorname", "Prénom", "Nombre", "Voornaam"},
	"last_name": {"Last Name", "Surname", "Family Name", "Last", "Nachname", "Familienname", "Nom de famille",
		"Apellido", "Apellidos", "Achternaam"},
	"email": {"Email", "Email Address", "E-mail", "Mail", "Work Email", "Primary Email", "E-Mail-Adresse",
		"Mailadresse", "Adresse e-mail", "Courriel", "Correo", "Correo electrónico", "E-mailadres"},
	"phone": {"Phone", "Phone Number", "Telephone", "Tel", "Mobile", "Mobile Phone", "Telefon", "Telefonnummer",
		"Mobil", "Handy", "Téléphone", "Portable", "Teléfono", "Móvil", "Telefoon", "Telefoonnummer", "Mobiel"},
	"title": {"Title", "Job Title", "Position", "Berufsbezeichnung", "Funktion", "Poste", "Fonction", "Cargo",
		"Puesto", "Functie"},
	"company_id": {"Company ID", "Organization ID", "Org ID", "Account ID", "Company Record ID", "Firmen-ID",
		"Firma-ID", "Unternehmens-ID", "ID entreprise", "ID empresa", "Bedrijfs-ID"},
	"company_name": {"Company", "Company Name", "Organization", "Organisation", "Organization Name", "Account",
		"Account Name", "Associated Company", "Firma", "Firmenname", "Unternehmen", "Entreprise", "Société",
		"Empresa", "Compañía", "Bedrijf", "Bedrijfsnaam", "Organisatie"},
	"company_domain": {"Company Domain", "Company Website", "Organization Domain", "Account Domain",
		"Firmen-Domain", "Domaine de l'entreprise", "Dominio de la empresa", "Bedrijfsdomein"},
	"person_email": {"Contact Email", "Person Email", "Participant Email", "Customer Email", "Contact E-mail",
		"Email", "E-mail", "Kontakt-E-Mail", "E-Mail Kontakt", "Email du contact", "Courriel du contact",
		"Correo del contacto", "Contactpersoon e-mail", "Contact e-mailadres"},
	"person_emails": {"Participant Emails", "Participant Email", "Participants Emails", "Contact Emails",
		"Contact Email", "Attendee Emails", "Attendees", "Participants", "Email", "E-mail", "Kontakt-E-Mail",
		"Teilnehmer", "Teilnehmer-E-Mails", "Participants e-mail", "Correos de participantes", "Deelnemers"},
	"linkedin_url": {"LinkedIn URL", "LinkedIn", "LinkedIn Profile", "LinkedIn Profile URL", "LinkedIn-Profil"},
	"owner": {"Owner", "Owner Email", "Owner Name", "Assigned To", "Assignee", "Deal Owner", "Contact Owner",
		"Account Owner", "Company Owner", "Task Owner", "Record Owner", "Sales Rep", "Account Manager",
		"Verantwortlich", "Verantwortlicher", "Zuständig", "Betreuer", "Besitzer", "Propriétaire", "Responsable",
		"Propietario", "Eigenaar", "Verantwoordelijke"},
	"created_by": {"Created By", "Creator", "User", "Logged By", "Owner", "Owner Email", "Owner Name",
		"Erfasst von", "Erstellt von", "Angelegt von", "Créé par", "Creado por", "Aangemaakt door"},
	"author": {"Author", "Written By", "Created By", "Author Email", "Owner", "Owner Email", "Autor", "Verfasser",
		"Erstellt von", "Auteur", "Créé par", "Creado por", "Aangemaakt door"},
	"tags": {"Tags", "Tag", "Labels", "Label", "Schlagworte", "Schlagwörter", "Stichworte", "Étiquettes",
		"Etiquetas", "Etiketten"},
	"notes": {"Notes", "Note", "Remarks", "Comments", "Notizen", "Bemerkungen", "Kommentar", "Remarques", "Notas",
		"Opmerkingen"},
	"created_at": {"Created At", "Created", "Created On", "Created Date", "Creation Date", "Creation Time",
		"Date Created", "Create Date", "Createdate", "Erstellt am", "Erstellt", "Angelegt am", "Erstelldatum",
		"Date de création", "Créé le", "Fecha de creación", "Creado", "Aangemaakt op", "Aanmaakdatum"},
	"updated_at": {"Updated At", "Updated", "Last Modified", "Modified At", "Last Updated", "Last Modified Date",
		"Geändert am", "Zuletzt geändert", "Modifié le", "Fecha de modificación", "Gewijzigd op"},
	"domain": {"Domain", "Company Domain", "Website Domain", "Domäne", "Domaine", "Dominio", "Domein"},
	"website": {"Website", "Web Site", "Homepage", "Website URL", "URL", "Web", "Webseite", "Internetseite",
		"Site web", "Site internet", "Sitio web", "Página web"},
	"industry": {"Industry", "Sector", "Branche", "Industrie", "Secteur", "Industria"},
	"employee_count": {"Size", "Employees", "Employee Count", "Number of Employees", "Company Size", "Headcount",
		"Mitarbeiter", "Mitarbeiterzahl", "Anzahl Mitarbeiter", "Beschäftigte", "Effectif", "Employés",
		"Empleados", "Número de empleados", "Medewerkers", "Aantal medewerkers"},
	"city":    {"City", "Town", "Stadt", "Ort", "Ville", "Ciudad", "Plaats", "Stad"},
	"country": {"Country", "Country/Region", "Country Code", "Land", "Pays", "País", "Ländercode"},
	"value": {"Value", "Amount", "Deal Value", "Deal Amount", "Estimated Value", "Wert", "Betrag", "Auftragswert",
		"Volumen", "Montant", "Valeur", "Importe", "Valor", "Monto", "Waarde", "Bedrag"},
	"currency":    {"Currency", "Währung", "Devise", "Monnaie", "Moneda", "Divisa", "Valuta"},
	"pipeline":    {"Pipeline", "Pipeline Name", "Vertriebspipeline", "Pipeline de ventas", "Embudo"},
	"stage":       {"Stage", "Deal Stage", "Stage Name", "Phase", "Deal-Phase", "Verkaufsphase", "Stufe", "Étape", "Etapa", "Fase"},
	"status":      {"Status", "Deal Status", "Statut", "Estado"},
	"person_id":   {"Person ID", "Contact ID", "Main Contact ID", "Contact Record ID", "Kontakt-ID", "Personen-ID", "ID contact", "ID contacto", "Contact-ID"},
	"person_ids":  {"Person IDs", "Contact IDs", "Contacts", "People", "Person ID", "Contact ID", "Contact Record ID", "Contact Record IDs", "Kontakt-ID", "Kontakt-IDs"},
	"company_ids": {"Company IDs", "Companies", "Organization IDs", "Company ID", "Account ID", "Account IDs", "Firmen-ID"},
	"expected_close_date": {"Expected Close Date", "Estimated Close Date", "Expected Close",
		"Voraussichtlicher Abschluss", "Voraussichtliches Abschlussdatum", "Date de clôture prévue",
		"Fecha de cierre prevista", "Verwachte sluitingsdatum"},
	"closed_at": {"Closed At", "Closed", "Closed Date", "Close Time", "Close Date", "Won Date", "Abschlussdatum",
		"Abgeschlossen am", "Date de clôture", "Fecha de cierre", "Sluitingsdatum"},
	"lost_reason": {"Lost Reason", "Reason Lost", "Closed Lost Reason", "Verlustgrund", "Grund für Verlust",
		"Motif de perte", "Raison de la perte", "Motivo de pérdida", "Reden verloren"},
	"stage_history": {"Stage History", "Phasenverlauf", "Phasenhistorie", "Historique des étapes",
		"Historial de etapas", "Fasegeschiedenis"},
	"direction": {"Direction", "Richtung", "Sens", "Dirección", "Richting"},
	"summary": {"Summary", "Description", "Body Preview", "Body", "Zusammenfassung", "Beschreibung", "Résumé",
		"Resumen", "Descripción", "Samenvatting", "Omschrijving"},
	"interaction_date": {"Interaction Date", "Date", "Occurred At", "Activity Date", "Timestamp", "Datum",
		"Zeitpunkt", "Date de l'activité", "Fecha", "Fecha de la actividad"},
	"deal_id": {"Deal ID", "Deal", "Deal Record ID", "Deal-ID", "Opportunity ID", "Verkaufschance-ID",
		"ID affaire", "ID oportunidad", "ID negocio"},
	"duration_minutes": {"Duration Minutes", "Duration", "Dauer", "Durée", "Duración", "Duur"},
	"ai_draft": {"AI Draft", "Is AI Draft", "AI Generated", "Draft", "KI-Entwurf", "KI-generiert",
		"Brouillon IA", "Borrador IA", "AI-concept"},
	"source_conversation": {"Source Conversation", "Conversation", "Source Thread", "Quellgespräch",
		"Conversation source", "Conversación de origen", "Bronconversatie"},
	"due_date": {"Due Date", "Due", "Due At", "Deadline", "Fällig am", "Fälligkeitsdatum", "Fällig", "Échéance",
		"Date d'échéance", "Fecha de vencimiento", "Vencimiento", "Vervaldatum"},
	"done": {"Done", "Completed", "Is Done", "Complete", "Erledigt", "Fait", "Terminé", "Hecho", "Completado",
		"Klaar", "Voltooid", "Gedaan"},
	"path": {"Path", "File Path", "Relative Path", "Location", "Pfad", "Dateipfad", "Chemin", "Ruta",
		"Pad", "Bestandspad"},
	"sha256":         {"SHA-256", "SHA256", "Checksum", "SHA256 Checksum", "Prüfsumme"},
	"interaction_id": {"Interaction ID", "Activity ID", "Aktivitäts-ID"},
	"source_url":     {"Source URL", "Download URL", "Original URL"},
	"active":         {"Active", "Is Active", "Enabled", "Aktiv", "Actif", "Activo", "Actief"},
}

// kindAliases holds the spellings whose meaning depends on the file: "Company Name" is the
// name of a company in companies.csv but a person's company_name in people.csv. An entry here
// wins over commonAliases for its kind.
var kindAliases = map[source.Kind]map[string][]string{
	source.Owner: {
		"name": {"Name", "Full Name", "Owner Name", "User Name", "Vollständiger Name", "Nom complet",
			"Nombre completo", "Volledige naam", "Naam"},
		"id": {"Owner ID", "User ID", "Benutzer-ID"},
	},
	source.Company: {
		"name": {"Company Name", "Company", "Name", "Organization", "Organisation", "Organization Name",
			"Account Name", "Firma", "Firmenname", "Unternehmen", "Entreprise", "Société", "Raison sociale",
			"Empresa", "Nombre de la empresa", "Bedrijf", "Bedrijfsnaam", "Organisatie", "Naam"},
		"id": {"Company ID", "Organization ID", "Account ID", "Company Record ID", "Firmen-ID"},
	},
	source.Person: {
		"id":    {"Person ID", "Contact ID", "Contact Record ID", "Kontakt-ID"},
		"title": {"Title", "Job Title", "Position", "Role", "Rolle"},
	},
	source.Deal: {
		"name": {"Deal Name", "Name", "Title", "Deal Title", "Opportunity", "Opportunity Name", "Bezeichnung",
			"Titel", "Verkaufschance", "Affaire", "Nom de l'affaire", "Oportunidad", "Negocio", "Nombre del negocio",
			"Dealnaam", "Naam"},
		"id": {"Deal ID", "Deal Record ID", "Deal-ID"},
	},
	source.Interaction: {
		"type":    {"Type", "Interaction Type", "Kind", "Activity Type", "Typ", "Art", "Aktivitätstyp", "Tipo", "Soort"},
		"channel": {"Channel", "Source", "Kanal", "Canal", "Kanaal"},
		"title":   {"Title", "Subject", "Betreff", "Titel", "Objet", "Sujet", "Asunto", "Onderwerp"},
		"id":      {"Interaction ID", "Activity ID", "Aktivitäts-ID"},
	},
	source.Note: {
		"body": {"Body", "Note", "Content", "Text", "Note Body", "Notiz", "Inhalt", "Notiztext", "Contenu",
			"Contenido", "Inhoud", "Notitie"},
		"id": {"Note ID", "Notiz-ID"},
	},
	source.Task: {
		"title": {"Title", "Task", "Subject", "To-do", "Todo", "Task Title", "Aufgabe", "Betreff", "Titel",
			"Tâche", "Tarea", "Taak"},
		"id": {"Task ID", "To-do ID", "Aufgaben-ID"},
	},
	source.Attachment: {
		"file_name": {"File Name", "Filename", "Name", "Dateiname", "Nom du fichier", "Nombre de archivo",
			"Bestandsnaam"},
		"path":         {"File", "Path", "File Path", "Datei", "Fichier", "Archivo", "Bestand"},
		"size_bytes":   {"Size", "Size Bytes", "Bytes", "File Size", "Größe", "Dateigröße", "Taille", "Tamaño", "Grootte"},
		"content_type": {"Content Type", "MIME Type", "Mime", "Type", "Dateityp", "Typ"},
		"created_at":   {"Uploaded", "Uploaded At", "Upload Date", "Hochgeladen am", "Hochgeladen", "Téléversé le"},
		"id":           {"Attachment ID", "File ID", "Anhang-ID"},
	},
}

// genericIDAliases match the id column of every kind.
var genericIDAliases = []string{"ID", "Klipy ID", "Record ID", "Identifiant", "Identificador", "Kennung"}

// headerIndex maps a kind and a normalized header to its canonical field name.
var headerIndex = buildHeaderIndex()

// buildHeaderIndex compiles the alias tables in three layers: canonical names, then
// kindAliases, then commonAliases. A later layer never replaces an earlier one (that is how
// "Company Name" means name in companies.csv); two entries of one layer that mean different
// fields of one kind panic, which TestHeaderIndex catches.
func buildHeaderIndex() map[source.Kind]map[string]string {
	idx := make(map[source.Kind]map[string]string, len(source.Standard))
	for kind, fields := range source.Standard {
		m := make(map[string]string)
		layerOf := make(map[string]int)
		add := func(layer int, field, alias string) {
			key := normalizeHeader(alias)
			if prev, ok := m[key]; ok {
				if layerOf[key] == layer && prev != field {
					panic(fmt.Sprintf("harvest: %s header %q means both %s and %s", kind, alias, prev, field))
				}
				return
			}
			m[key], layerOf[key] = field, layer
		}
		for _, field := range fields {
			add(0, field, field)
		}
		for field, list := range kindAliases[kind] {
			for _, a := range list {
				add(1, field, a)
			}
		}
		for _, a := range genericIDAliases {
			add(1, "id", a)
		}
		for _, field := range fields {
			for _, a := range commonAliases[field] {
				add(2, field, a)
			}
		}
		idx[kind] = m
	}
	return idx
}

// normalizeHeader folds a header for matching: accents removed (ß → ss), lower case,
// letters and digits only ("Fällig am" → "falligam", "E-Mail" → "email").
func normalizeHeader(h string) string {
	return strings.ReplaceAll(normalize.Name(h, ""), " ", "")
}

// cleanHeader trims spaces and stray byte-order marks from a header cell as written.
func cleanHeader(h string) string {
	return strings.TrimSpace(strings.Trim(h, "\uFEFF \t"))
}

// headerMatch is what a header alone says about its column.
type headerMatch struct {
	field string  // canonical field, "" when the header is not known
	conf  float64 // 1 for the canonical name, less for an alias or a unit-stripped match
	why   string
	hint  string // from a unit in the header: epoch_ms, minutes, currency:EUR, ...
}

// matchHeader looks a header up in the alias tables of kind: as written first, then without
// a trailing unit in parentheses or brackets ("Datum (ms)", "Value [EUR]"), whose unit
// becomes the hint.
func matchHeader(kind source.Kind, h string) headerMatch {
	idx := headerIndex[kind]
	base, unit := splitUnit(h)
	var m headerMatch
	switch {
	case h == "":
		return m
	case idx[normalizeHeader(h)] != "":
		m.field = idx[normalizeHeader(h)]
		m.conf, m.why = 0.95, fmt.Sprintf("header %q is a spelling of %s", h, m.field)
		if h == m.field {
			m.conf, m.why = 1, "header is the canonical name"
		}
	case base != "" && idx[normalizeHeader(base)] != "":
		m.field = idx[normalizeHeader(base)]
		m.conf, m.why = 0.9, fmt.Sprintf("header %q is a spelling of %s with the unit %q", base, m.field, unit)
	}
	if unit != "" {
		m.hint = unitHint(m.field, unit)
	}
	return m
}

// splitUnit splits "Datum (ms)" into "Datum" and "ms"; a header without a trailing
// parenthesised or bracketed part gives itself and "".
func splitUnit(h string) (base, unit string) {
	h = strings.TrimSpace(h)
	for _, p := range [][2]string{{"(", ")"}, {"[", "]"}} {
		if strings.HasSuffix(h, p[1]) {
			if i := strings.LastIndex(h, p[0]); i > 0 {
				return strings.TrimSpace(h[:i]), strings.TrimSpace(h[i+1 : len(h)-1])
			}
		}
	}
	return h, ""
}
