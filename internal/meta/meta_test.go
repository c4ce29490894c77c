package meta

import (
	"fmt"
	"strings"
	"testing"

	"escale/internal/layout"
	"escale/internal/mission"
)

// report builds a record from a file name, a title and the text's lines.
func report(file, title string, lines ...string) *mission.Mission {
	m := &mission.Mission{Filename: file, Text: strings.Join(lines, "\n")}
	if title != "" {
		m.Title = &title
		m.Text = title + "\n" + m.Text
	}
	return m
}

func places(m *mission.Mission) string {
	var out []string
	for _, d := range m.Destinations {
		out = append(out, d.City+", "+d.Country)
	}
	return strings.Join(out, "; ")
}

func str(p *string) string {
	if p == nil {
		return "null"
	}
	return *p
}

func year(p *int) string {
	if p == nil {
		return "null"
	}
	return fmt.Sprint(*p)
}

func TestDestinations(t *testing.T) {
	tests := []struct {
		name string
		m    *mission.Mission
		want string
	}{
		{"country in parentheses settles a shared name", report("rapport.pdf", "Mission à Valence (Espagne)",
			"Du 3 au 6 mars 2025", "Contexte", "La Ville de Québec et Valence partagent des enjeux portuaires."), "Valence, Espagne"},
		{"two cities, one country", report("rapport.pdf", "Rapport de mission – Tokyo et Osaka (Japon)",
			"Du 12 au 19 mai 2024", "Contexte", "Tokyo et Osaka accueillent de grands ports."), "Tokyo, Japon; Osaka, Japon"},
		{"home city is not a destination", report("mission.pdf", "Mission économique à Casablanca",
			"Ville de Montréal – Service du développement économique",
			"Délégation", "Départ de Montréal le 3 mars.",
			"Contexte", "La Ville de Montréal et la Ville de Casablanca ont signé une entente. Montréal y présentera ses entreprises. De retour à Montréal, la délégation fera rapport au conseil de la Ville de Montréal."),
			"Casablanca, Maroc"},
		{"place line", report("compte-rendu.txt", "Compte rendu de mission",
			"Lieu : Genève, Suisse", "Dates : du 2 au 4 octobre 2023", "Objectifs", "Rencontrer les organisations internationales."),
			"Genève, Suisse"},
		{"file name only", report("2023_mission_dakar_final.txt", "",
			"OBJECTIFS", "Rencontrer les partenaires de la Ville de Dakar.", "Visiter la Ville de Dakar et ses quartiers."),
			"Dakar, Sénégal"},
		{"region in parentheses is no city", report("r.pdf", "Rapport de mission – Portland (État de Washington)",
			"Du 2 au 4 mai 2022"), "Portland, États-Unis"},
		{"capital written in English in a name", report("r.pdf", "Mission à Londres (Royaume-Uni)",
			"Du 2 au 4 mai 2022", "Rencontre avec la Port of London Authority et le Greater London Council."), "Londres, Royaume-Uni"},
		{"offices abroad are met, not visited", report("r.pdf", "Mission à Berlin",
			"Du 2 au 4 mai 2022", "Contexte", "Avec l’appui de la Délégation générale du Québec à Munich et du Bureau du Québec à Rome, la délégation a rencontré la Ville de Berlin."),
			"Berlin, Allemagne"},
		{"cities merely named in passing", report("r.pdf", "Mission à Rotterdam (Pays-Bas)",
			"Du 2 au 4 mai 2022", "Contexte", "Comme Anvers, Hambourg et Le Havre, Rotterdam a transformé ses bassins. Rotterdam accueille le plus grand port d’Europe. La Ville de Rotterdam a présenté ses projets."),
			"Rotterdam, Pays-Bas"},
		{"city inside an event's parentheses", report("r.pdf", "Rapport de mission – Forum urbain mondial (Le Caire, Égypte)",
			"Du 4 au 8 novembre 2024"), "Le Caire, Égypte"},
		{"contracted article", report("r.txt", "Mission au Havre", "Objectifs", "Visiter le port du Havre et rencontrer la Ville du Havre."), "Le Havre, France"},
		{"lowercase file name, no title", report("mission-montreal-2019.txt", "", "Objectifs", "Rencontrer la Ville de Montréal."), "Montréal, Canada"},
		{"a country without a city", report("r.pdf", "Mission au Japon",
			"Du 2 au 4 mai 2022", "Contexte", "Une visite de plusieurs préfectures."), ", Japon"},
		{"no place at all", report("r.pdf", "Rapport annuel", "Objectifs", "Faire le bilan."), ""},
		{"the trip's own sentence names a second city", report("Bilan mission Dakar - 00020.txt", "Bilan mission Dakar",
			"Contexte", "La mission s’est déroulée à Dakar et à Virginia Beach du 7 au 13 novembre 2015. Dakar accueille le forum.", "Le port de Virginia Beach a présenté ses terminaux.",
			"Programme", "Samedi 7 novembre : séance de travail à l’hôtel de ville de Dakar.", "Mercredi 11 novembre : arrivée à Virginia Beach."),
			"Dakar, Sénégal; Virginia Beach, États-Unis"},
		{"another event's sentence is not the trip's", report("r.pdf", "Mission à Berlin",
			"Du 2 au 4 mai 2022", "Contexte", "La conférence mondiale s’est tenue à Paris du 1er au 3 juin 2019, puis à Rome. Berlin a présenté son plan."),
			"Berlin, Allemagne"},
		{"the destination is named more often than the home city", report("RM-2019-038.pdf", "Assemblée générale du réseau des villes jumelées 2019",
			"Amsterdam (Pays-Bas), 6 au 11 septembre 2019", "Délégation", "La directrice d’un théâtre de Sherbrooke.",
			"Contexte", "Le programme, préparé avec la Ville d’Amsterdam, comprenait des visites. La Ville d’Amsterdam a reçu la délégation. Amsterdam compte 740 000 habitants. Sherbrooke et Amsterdam sont jumelées. Le centre d’Amsterdam attire des visiteurs."),
			"Amsterdam, Pays-Bas"},
		{"a dated place line after a subtitle", report("RM-2019-038.pdf", "Assemblée générale 2019",
			"Rencontres internationales de l’aménagement", "Amsterdam (Pays-Bas), 6 au 11 septembre 2019", "Contexte",
			"La Ville de Sherbrooke y présentait son plan. Sherbrooke et Amsterdam sont jumelées. La Ville de Sherbrooke a signé l’entente."),
			"Amsterdam, Pays-Bas"},
		{"a letter's dateline names the home city", report("rapport abidjan nov 98.txt", "",
			"VILLE DE QUÉBEC", "Bureau des relations internationales", "Québec, le 4 décembre 1998", "DÉLÉGATION", "Le maire de Québec.",
			"PÉRIODE : du 16 au 21 novembre 1998", "LIEU : Abidjan (Côte d’Ivoire)", "CONTEXTE", "L’assemblée se tenait à Abidjan, à l’invitation de la Ville d’Abidjan."),
			"Abidjan, Côte d'Ivoire"},
		{"the title names the sender", report("r.pdf", "Mission de la Ville de Sherbrooke à Lyon",
			"Du 2 au 4 mai 2022", "Contexte", "La Ville de Sherbrooke et la Ville de Lyon ont signé une entente. Le maire de Sherbrooke a présenté la Ville de Sherbrooke à Lyon."),
			"Lyon, France"},
		{"a transit city is not a destination", report("r.pdf", "Mission à Lyon",
			"Du 2 au 6 mai 2022, via Paris", "Programme", "Lundi : vol vers Francfort, correspondance à Francfort, arrivée à Lyon.", "Mardi : rencontres à Lyon."),
			"Lyon, France"},
		{"an airport city is passed through", report("r.txt", "Mission à Valparaíso (Chili)",
			"Du 3 au 7 octobre 2011", "Programme", "Arrivée à l’aéroport de Santiago et transfert routier vers Valparaíso."),
			"Valparaiso, Chili"},
		{"a river named after a saint is no city", report("r.pdf", "Mission à Boston",
			"Du 2 au 4 mai 2022", "Contexte", "Les navires qui remontent le Saint-Laurent font escale à Boston. Croisières du Saint-Laurent et la Voie maritime du Saint-Laurent ont présenté leur offre; le fleuve Saint-Laurent et le golfe du Saint-Laurent accueillent Saint-Laurent."),
			"Boston, États-Unis"},
		{"a river in the title is no city", report("r.pdf", "Promotion des croisières sur le Saint-Laurent",
			"Seatrade Cruise Global, Miami (Floride), du 8 au 11 avril 2019", "Contexte", "Les Croisières du Saint-Laurent étaient présentes à Miami."),
			"Miami, États-Unis"},
		{"a province in the title is no city", report("r.pdf", "Mission économique au Québec",
			"Montréal, du 2 au 4 mai 2022", "Contexte", "La délégation a visité Montréal et rencontré le gouvernement du Québec."),
			"Montréal, Canada"},
		{"a province is no city", report("r.pdf", "Mission à Montréal", "Du 2 au 4 mai 2022", "Contexte",
			"La délégation lyonnaise a rencontré le gouvernement du Québec, le Bureau du Québec et des entreprises établies au Québec; le Québec compte huit millions d’habitants."),
			"Montréal, Canada"},
		{"an office abroad named by its city", report("r.pdf", "Mission à Lyon", "Du 2 au 4 mai 2022", "Contexte",
			"La Délégation générale du Québec à Paris et le Consulat général de France à Québec ont appuyé la mission. La Délégation générale du Québec à Paris a organisé les rencontres."),
			"Lyon, France"},
		{"a word of the file name the text never names", report("nola-tricentenaire.md", "Mission à La Nouvelle-Orléans – Tricentenaire 2018",
			"Objectifs", "Représenter la Ville aux célébrations du tricentenaire."), "La Nouvelle-Orléans, États-Unis"},
		{"a file name that names another city", report("rapport-lyon-final.txt", "Mission à Gênes",
			"Du 2 au 4 mai 2022", "Objectifs", "Visiter le port de Gênes."), "Gênes, Italie"},
		{"a city named with a lowercase article", report("r.txt", "Mission à la Nouvelle-Orléans", "Du 2 au 4 mai 2022",
			"Objectifs", "Rencontrer la mairesse de la Nouvelle-Orléans."), "La Nouvelle-Orléans, États-Unis"},
		{"a state settles the country", report("r.pdf", "Mission à Cambridge (Massachusetts)",
			"Du 2 au 4 mai 2022", "Contexte", "Cambridge accueille le MIT. À Cambridge, la délégation a visité deux laboratoires."),
			"Cambridge, États-Unis"},
		{"a province settles the country", report("r.pdf", "Mission à London (Ontario)",
			"Du 2 au 4 mai 2022", "Contexte", "La Ville de London a présenté son plan. London compte 400 000 habitants."),
			"London, Canada"},
		{"a department settles the country", report("r.pdf", "Mission à Valence (Drôme)",
			"Du 2 au 4 mai 2022", "Contexte", "Valence accueille un festival."), "Valence, France"},
		{"a city named twice in two ways is listed once", report("r.txt", "Rapport de mission – Halifax 2005",
			"Lieu : Halifax (Nouvelle-Écosse)", "Contexte", "Halifax, escale majeure, accueille les croisiéristes. À Halifax, la délégation a rencontré Destination Halifax."),
			"Halifax, Canada"},
		{"the port of the city is no town called Le Port", report("r.txt", "Mission à Anvers",
			"Du 2 au 4 mai 2022", "Contexte", "Le Port d’Anvers et le Port de Québec ont signé une entente; le Port a présenté ses terminaux et le Port a reçu la délégation."),
			"Anvers, Belgique"},
	}
	k := DefaultKnowledge()
	for _, tt := range tests {
		Fill(tt.m, Source{}, k)
		if got := places(tt.m); got != tt.want {
			t.Errorf("%s: Fill(%q).Destinations = %q, want %q", tt.name, str(tt.m.Title), got, tt.want)
		}
	}
}

// TestDestinationFallback covers reports whose title, heading block, file
// name and trip sentences name no destination.
func TestDestinationFallback(t *testing.T) {
	tests := []struct {
		name string
		m    *mission.Mission
		want string
	}{
		{"where the event the delegation attended was held", report("RM-2025-019.pdf", "",
			"Ville de Québec – Service des relations internationales",
			"Mise en contexte",
			"La troisième Conférence des Nations unies sur l’océan (UNOC3), coorganisée par la France et le Costa Rica, s’est tenue à Nice au début de juin. La Ville de Québec y participait à l’invitation de la Métropole Nice Côte d’Azur. Québec, ville portuaire sur le Saint-Laurent, partage des enjeux de protection du littoral.",
			"Objectifs", "Présenter les actions de Québec pour la protection du Saint-Laurent.", "Rencontrer les villes côtières présentes à la conférence.",
			"Déroulement",
			"La délégation de Québec a assisté aux séances plénières. Le maire de Québec a pris la parole sur la gestion du Saint-Laurent. Une activité parallèle a eu lieu à Monaco avec des fondations. La Ville de Nice a présenté son plan du littoral. Québec a signé la déclaration des villes côtières. Le quotidien Nice Matin a interviewé le maire.",
			"Retombées",
			"Partage des pratiques de Québec sur le Saint-Laurent. Québec rejoindra le réseau lancé à Nice. Le plan de Québec pour le Saint-Laurent sera présenté au conseil. Les experts de Québec ont noué des liens sur l’estuaire du Saint-Laurent. Les échanges avec Nice se poursuivront. Le Saint-Laurent sera au cœur du suivi. Québec accueillera un atelier; Québec publiera un bilan."),
			"Nice, France"},
		{"an event held in another year is not the trip's", report("RM-2025-022.pdf", "",
			"Contexte", "Le congrès mondial de 2025 a eu lieu, comme prévu, à Séville. L’édition précédente s’était tenue à Lisbonne en 2022.",
			"Objectifs", "Présenter le plan de mobilité de la Ville de Laval.", "Comparer Séville et Lisbonne."),
			"Séville, Espagne"},
		{"an event accueilli par la Ville", report("compte-rendu.txt", "",
			"Contexte", "Le sommet, accueilli par la Ville de Bilbao, réunissait quarante maires.", "Objectifs", "Échanger sur la revitalisation des rives."),
			"Bilbao, Espagne"},
		{"the foreign city named most, clearly ahead", report("compte-rendu-final.txt", "",
			"Ville de Sherbrooke – Bureau des relations internationales",
			"Contexte", "La Ville de Sherbrooke entretient des liens avec Lyon depuis dix ans. Les élus de Sherbrooke admirent les quartiers de Lyon. Le maire de Sherbrooke a rencontré ses homologues.",
			"Retombées", "Sherbrooke s’inspirera des pratiques de Lyon. Un projet commun entre Lyon et Sherbrooke, comme à Paris, sera lancé. La Ville de Sherbrooke fera rapport."),
			"Lyon, France"},
		{"two foreign cities named as often: none", report("compte-rendu-final.txt", "",
			"Ville de Sherbrooke – Bureau des relations internationales",
			"Contexte", "La Ville de Sherbrooke compare Lyon et Bordeaux. Les quartiers de Lyon et ceux de Bordeaux inspirent Sherbrooke. Le maire de Sherbrooke cite Lyon et Bordeaux.",
			"Retombées", "Sherbrooke fera rapport; la Ville de Sherbrooke publiera un bilan."),
			""},
		{"a city at home named often is a partner", report("compte-rendu-final.txt", "",
			"Ville de Québec – Bureau des relations internationales",
			"Contexte", "La Ville de Québec et Montréal coopèrent. Les élus de Québec ont rencontré ceux de Montréal. Le maire de Québec a cité Montréal. Québec et Montréal publieront un bilan; Montréal fera rapport.", "Retombées", "La Ville de Québec fera rapport."),
			""},
		{"a river is no city", report("compte-rendu-final.txt", "",
			"Ville de Lyon – Bureau des relations internationales",
			"Contexte", "La Ville de Lyon a étudié le Saint-Laurent. Les croisières Saint-Laurent, la stratégie Saint-Laurent et le corridor Saint-Laurent inspirent Lyon. Le maire de Lyon a cité la Ville de Lyon.", "Retombées", "La Ville de Lyon fera rapport."),
			""},
		{"nothing supports a city", report("note-2024.txt", "",
			"Contexte", "Le bureau a préparé le budget de l’année. Une rencontre a eu lieu en ligne avec des partenaires.", "Objectifs", "Faire le bilan."),
			""},
	}
	k := DefaultKnowledge()
	for _, tt := range tests {
		Fill(tt.m, Source{}, k)
		if got := places(tt.m); got != tt.want {
			t.Errorf("%s: Fill(%q).Destinations = %q, want %q", tt.name, tt.m.Filename, got, tt.want)
		}
	}
}

func TestHomeSetting(t *testing.T) {
	tests := []struct {
		home string
		m    *mission.Mission
		want string
	}{
		{"Paris", report("r.pdf", "Mission à Lyon et à Paris", "Du 2 au 4 mai 2022", "Contexte", "La Ville de Lyon a reçu la délégation de Paris."), "Lyon, France"},
		// The title names the city that sends the mission.
		{"Lyon", report("r.pdf", "Mission de la Ville de Lyon au Québec", "Montréal, du 2 au 4 mai 2022", "Contexte", "La délégation a visité Montréal."), "Montréal, Canada"},
		// Written without its accent, or not in the gazetteer: detected per report.
		{"Montreal", report("r.pdf", "Mission à Séoul", "Du 2 au 4 mai 2022", "Contexte", "La Ville de Montréal a présenté le Sommet de Montréal à Séoul."), "Séoul, Corée du Sud"},
		{"Villebrune-sur-Mer", report("r.pdf", "Mission à Séoul", "Du 2 au 4 mai 2022", "Contexte", "Séoul a reçu la délégation."), "Séoul, Corée du Sud"},
	}
	for _, tt := range tests {
		Fill(tt.m, Source{}, Knowledge{Home: tt.home})
		if got := places(tt.m); got != tt.want {
			t.Errorf("Fill(%q) with Home %q: Destinations = %q, want %q", str(tt.m.Title), tt.home, got, tt.want)
		}
	}
}

func TestDatesAndYear(t *testing.T) {
	tests := []struct {
		name           string
		m              *mission.Mission
		src            Source
		start, end, yr string
	}{
		{"heading block range", report("r.pdf", "Mission à Lyon", "Du 15 au 20 avril 2018", "Contexte", "Lyon est inscrite depuis 1998."),
			Source{}, "2018-04-15", "2018-04-20", "2018"},
		{"range over the new year", report("r.pdf", "Visite de travail à Saint-Pétersbourg (Russie)", "Du 28 décembre 2024 au 3 janvier 2025"),
			Source{}, "2024-12-28", "2025-01-03", "2024"},
		{"month names abbreviated, year from the title", report("r.pdf", "Mission à Tunis 2019", "26-30 sept.", "Contexte", "Rien."),
			Source{}, "2019-09-26", "2019-09-30", "2019"},
		{"single day", report("r.pdf", "Mission d’une journée à Ottawa", "le 3 février 2025", "Objectifs", "Rencontrer les élus."),
			Source{}, "2025-02-03", "2025-02-03", "2025"},
		{"dates line", report("r.txt", "Mission à Lyon", "Délégation : le maire.", "Dates : 2024-11-26 au 2024-11-29"),
			Source{}, "2024-11-26", "2024-11-29", "2024"},
		{"program days", report("2025-mission-lyon.txt", "Mission à Lyon", "Programme",
			"Lundi 3 mars : arrivée à Lyon et accueil.", "Mardi 4 mars : visites.", "Vendredi 7 mars : retour."),
			Source{}, "2025-03-03", "2025-03-07", "2025"},
		{"weekdays joined by et", report("r.txt", "Mission à Lyon", "Lundi 21 et mardi 22 mars 2022"),
			Source{}, "2022-03-21", "2022-03-22", "2022"},
		{"another event's dates are not the trip's", report("r.pdf", "Mission à Berlin", "Contexte",
			"La conférence mondiale s’est tenue à Paris du 1er au 3 juin 2019.", "La Ville est membre depuis 2015 et sa politique 2025-2030 est adoptée."),
			Source{Info: layout.Info{Created: "2021-02-03"}}, "null", "null", "2021"},
		{"running header gives the year", report("r.pdf", "Mission à Berlin", "Objectifs", "Renforcer nos liens (2016-2018)."),
			Source{Headers: []string{"Mission à Berlin – juin 2023", "Page 1 de 2"}, Info: layout.Info{Created: "2024-01-01"}}, "null", "null", "2023"},
		{"file name gives the year", report("Mission_Berlin_mai2022.pdf", "Mission à Berlin", "Objectifs", "Renforcer nos liens."),
			Source{Info: layout.Info{Created: "2024-01-01"}}, "null", "null", "2022"},
		{"year missing from the dates comes from the file name", report("2019-10_rapport.pdf", "Mission à Yokohama", "du 7 au 11 octobre"),
			Source{}, "2019-10-07", "2019-10-11", "2019"},
		{"writing date is not the trip", report("r.pdf", "Mission à Lyon", "Préparé par le Bureau des relations internationales, le 12 juillet 2016"),
			Source{}, "null", "null", "2016"},
		{"a letter's dateline is not the trip", report("r.pdf", "Mission à Lyon", "Québec, le 12 juillet 2016", "Objectifs", "Rencontrer."),
			Source{}, "null", "null", "2016"},
		{"place and range after a comma", report("r.txt", "Congrès annuel 2024", "Toronto, 6-9 juin 2024"),
			Source{}, "2024-06-06", "2024-06-09", "2024"},
		{"nothing at all", report("r.txt", "Mission à Lyon", "Objectifs", "Rencontrer."), Source{}, "null", "null", "null"},
		{"a subtitle that looks like a section, then the dates", report("r.md", "Mission à Ichihara et à Osaka",
			"Rencontres internationales de l’aménagement", "Du dimanche 3 au vendredi 8 novembre 2013", "Ville de Lyon – Bureau des relations internationales",
			"Contexte", "Osaka a accueilli une délégation en février 2011."),
			Source{}, "2013-11-03", "2013-11-08", "2013"},
	}
	k := DefaultKnowledge()
	for _, tt := range tests {
		Fill(tt.m, tt.src, k)
		if got := [3]string{str(tt.m.StartDate), str(tt.m.EndDate), year(tt.m.Year)}; got != [3]string{tt.start, tt.end, tt.yr} {
			t.Errorf("%s: Fill(%q) dates, year = %v, want %v", tt.name, str(tt.m.Title), got, [3]string{tt.start, tt.end, tt.yr})
		}
	}
}

func TestOrganizations(t *testing.T) {
	m := report("r.pdf", "Mission à Lisbonne",
		"Ville de Québec – Bureau des relations internationales",
		"Objectifs",
		"Participer à la conférence de l’Association internationale Villes et Ports (AIVP) avec le Port de Québec.",
		"Rencontrer l’Ambassade du Canada au Portugal et le ministère des Relations internationales et de la Francophonie.",
		"Échanger avec la Ville de Lisbonne et la Ville de Québec sur la culture.",
		"Contexte",
		"L’AIVP réunit des villes portuaires. Le Service de l’urbanisme a préparé la mission. La Ville de Porto est citée une fois.")
	m.Objectives = []mission.Objective{
		{Text: "Participer à la conférence de l’Association internationale Villes et Ports (AIVP) avec le Port de Québec."},
		{Text: "Rencontrer l’Ambassade du Canada au Portugal et le ministère des Relations internationales et de la Francophonie."},
		{Text: "Échanger avec la Ville de Lisbonne et la Ville de Québec sur la culture."},
	}
	Fill(m, Source{}, DefaultKnowledge())
	want := []string{
		"Association internationale Villes et Ports (AIVP)",
		"Port de Québec",
		"Ambassade du Canada au Portugal",
		"ministère des Relations internationales et de la Francophonie",
		"Ville de Lisbonne",
	}
	if strings.Join(m.Organizations, "|") != strings.Join(want, "|") {
		t.Errorf("Fill(%q).Organizations = %q, want %q", str(m.Title), m.Organizations, want)
	}
}

func FuzzFill(f *testing.F) {
	f.Add("Mission à Anvers (Belgique)", "Du 15 au 20 avril 2018\nVille de Québec\nObjectifs\nVisiter le port (AIVP).", "r.pdf")
	f.Add("", "26-30 nov.\nLieu : Genève, Suisse\nDates : 2024-11-26", "2024_x.txt")
	f.Add("(((", "Ville de (Ville de ( au Havre du", "")
	k := DefaultKnowledge()
	f.Fuzz(func(t *testing.T, title, text, file string) {
		m := &mission.Mission{Filename: file, Text: text, Title: &title}
		Fill(m, Source{Headers: []string{title}}, k)
		if m.Destinations == nil || m.Themes == nil || m.Organizations == nil {
			t.Fatalf("Fill(%q, %q) left nil lists", title, text)
		}
		if (m.StartDate == nil) != (m.EndDate == nil) || m.StartDate != nil && *m.StartDate > *m.EndDate {
			t.Fatalf("Fill(%q, %q) dates %v..%v", title, text, str(m.StartDate), str(m.EndDate))
		}
	})
}
