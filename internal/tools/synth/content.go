package synth

// The phrase banks reports are written from. Templates name their slots in
// braces: {topic}, {de_topic}, {a_topic}, {mat_topic} (« en matière de … »),
// {org}, {de_org}, {a_org}, {city}, {home}, {service}, {site}, {de_site},
// {n}, {when} (a later month and year). A slot's article is part of the value.

// org is an organisation as written in a report: its article, its name, and
// the acronym it goes by, if any.
type org struct {
	art  string // « la », « le », « l’ », « les » or ""
	name string
	acr  string
}

// theme is what a report says about one theme of the taxonomy.
type theme struct {
	id      string
	topics  []string // noun phrases with their article, then « |other-theme » when they are also about another
	sites   []string // places visited, with their article
	orgs    []org    // organisations of the field (international or home)
	service []string // home services in charge, with their article
	roles   []string // delegation members, with their article
	events  []string // events a mission may attend, with their article
	context []string // sentences about the destination
	results []string // outcome sentences specific to the field
}

var themes = []theme{
	{
		id: "culture",
		topics: []string{"la mise en valeur du patrimoine bâti", "la médiation culturelle",
			"la circulation des expositions", "la gestion d’un site du patrimoine mondial",
			"la lecture publique", "les arts numériques", "le soutien aux artistes",
			"la programmation des grands festivals", "la restauration des façades anciennes"},
		sites: []string{"le musée des beaux-arts", "la bibliothèque centrale", "le centre historique",
			"la maison de la littérature", "le quartier des spectacles", "l’ancienne manufacture reconvertie en lieu de création"},
		orgs: []org{{"l’", "Organisation des villes du patrimoine mondial", "OVPM"},
			{"le ", "Centre du patrimoine mondial de l’UNESCO", ""},
			{"le ", "Conseil des arts", ""}},
		service: []string{"la Division de la culture", "la Bibliothèque de {home}", "la Division du patrimoine"},
		roles: []string{"la directrice de la Division de la culture", "le directeur de la Bibliothèque de {home}",
			"une conseillère en patrimoine", "la directrice générale d’un théâtre de {home}"},
		events: []string{"les Rencontres internationales du patrimoine", "le Forum mondial de la culture",
			"le colloque de l’Organisation des villes du patrimoine mondial"},
		context: []string{"{city} a fait de la culture un levier de la transformation de son centre, où plusieurs bâtiments industriels ont été reconvertis en lieux de création.",
			"Le centre historique de {city} attire chaque année plusieurs millions de visiteurs, ce qui pose des défis de cohabitation entre résidents et touristes.",
			"La ville consacre une part importante de son budget à la culture et a adopté récemment une nouvelle politique culturelle."},
		results: []string{"Une lettre d’intention sur la circulation d’une exposition entre les musées des deux villes sera signée d’ici {when}.",
			"Un programme d’échange de professionnels en médiation culturelle sera proposé aux institutions des deux villes.",
			"Les deux villes échangeront leurs plans de gestion et leurs guides d’intervention en secteur patrimonial.",
			"Une résidence d’artistes croisée sera créée, avec l’accueil d’un créateur de chaque ville pendant six semaines."},
	},
	{
		id: "ville-port",
		topics: []string{"l’interface ville-port", "l’accueil des navires de croisière|tourisme",
			"la reconversion des anciens quais|urbanisme", "l’économie bleue", "l’accès public aux berges du fleuve|urbanisme",
			"l’électrification des quais|climat-environnement", "la cohabitation entre activités portuaires et quartiers riverains|urbanisme",
			"la logistique portuaire"},
		sites: []string{"le terminal de croisières", "les anciens docks reconvertis", "le port de conteneurs",
			"la promenade riveraine", "le centre d’innovation maritime"},
		orgs: []org{{"l’", "Association internationale Villes et Ports", "AIVP"},
			{"le ", "Port de {home}", ""},
			{"l’", "Autorité portuaire de {city}", ""}},
		service: []string{"le Service du développement économique", "la Division de l’aménagement des berges"},
		roles: []string{"le président-directeur général du Port de {home}", "un urbaniste spécialisé en aménagement riverain",
			"la directrice du développement des affaires maritimes"},
		events: []string{"la Conférence mondiale de l’AIVP", "les Journées internationales Villes et Ports",
			"le Forum de l’économie bleue"},
		context: []string{"Le port de {city} est l’un des plus actifs de sa région et accueille chaque année plusieurs centaines d’escales de navires de croisière.",
			"{city} a engagé depuis une quinzaine d’années la reconversion de ses anciens quais en quartiers mixtes ouverts sur l’eau.",
			"La relation entre la ville et son port y est encadrée par une charte signée par la municipalité, l’autorité portuaire et leurs partenaires."},
		results: []string{"Le Port de {home} et l’autorité portuaire de {city} ont convenu d’échanger leurs données sur l’électrification des quais.",
			"La délégation a documenté l’aménagement des quais publics, qui alimentera les travaux du comité sur l’accès aux berges.",
			"{home} a été invitée à présenter sa démarche ville-port lors de la prochaine conférence du réseau.",
			"Un groupe de travail conjoint sur l’accueil des croisiéristes sera mis sur pied d’ici {when}."},
	},
	{
		id: "climat-environnement",
		topics: []string{"l’adaptation aux changements climatiques", "la gestion des eaux pluviales",
			"la lutte contre les îlots de chaleur", "la protection contre les crues", "la transition énergétique",
			"la plantation d’arbres en milieu urbain", "la protection des milieux humides", "la réduction des gaz à effet de serre"},
		sites: []string{"le parc inondable", "les bassins de rétention", "la centrale de chauffage urbain",
			"le nouveau quartier à faible empreinte carbone", "la digue de protection contre les crues"},
		orgs: []org{{"", "ICLEI – Gouvernements locaux pour le développement durable", "ICLEI"},
			{"la ", "Convention mondiale des maires pour le climat et l’énergie", ""},
			{"le ", "C40 Cities", ""}},
		service: []string{"le Service de l’environnement", "le Bureau de la transition écologique", "le Service du traitement des eaux"},
		roles: []string{"une conseillère en environnement", "un ingénieur du Service du traitement des eaux",
			"la directrice du Bureau de la transition écologique"},
		events: []string{"le Congrès mondial d’ICLEI", "le Sommet des villes pour le climat", "le Forum mondial de l’eau"},
		context: []string{"{city} a adopté un plan climat qui vise la carboneutralité de la collectivité d’ici 2050.",
			"Exposée aux crues et aux vagues de chaleur, {city} a multiplié ces dernières années les aménagements de protection et de verdissement.",
			"La ville a été l’une des premières de sa région à se doter d’un plan d’adaptation aux changements climatiques."},
		results: []string{"Ces constats alimenteront le plan de transition et d’action climatique en préparation.",
			"Le Service de l’environnement évaluera l’application de cette approche aux quartiers les plus exposés à la chaleur.",
			"Une recommandation d’adhésion au réseau sera soumise au comité exécutif d’ici {when}.",
			"Les deux villes ont convenu de comparer leurs indicateurs de canopée et de gestion des eaux pluviales."},
	},
	{
		id: "urbanisme",
		topics: []string{"la requalification des quartiers anciens", "l’aménagement des espaces publics",
			"la construction de logements abordables", "la densification autour des axes de transport|mobilite",
			"les rues partagées|mobilite", "la revitalisation des artères commerciales", "la planification des écoquartiers"},
		sites: []string{"l’écoquartier en construction", "la place publique réaménagée", "le chantier de logements sociaux",
			"la rue piétonne du centre-ville"},
		orgs: []org{{"", "ONU-Habitat", ""}, {"", "Metropolis", ""},
			{"l’", "Agence d’urbanisme de {city}", ""}},
		service: []string{"le Service de la planification de l’aménagement et de l’environnement", "la Division de l’urbanisme",
			"le Service de l’habitation"},
		roles: []string{"une urbaniste-conceptrice du Service de la planification", "le conseiller municipal responsable de l’habitation",
			"le directeur de la Division de l’urbanisme"},
		events: []string{"le Forum urbain mondial", "les Rencontres internationales de l’aménagement"},
		context: []string{"{city} mène depuis plusieurs années un vaste programme de réaménagement de ses espaces publics.",
			"La crise du logement a conduit {city} à revoir ses règles d’urbanisme pour accélérer la construction.",
			"Les anciens terrains industriels de {city} accueillent aujourd’hui des quartiers mixtes de logements et de bureaux."},
		results: []string{"Ces enseignements alimenteront la révision du plan d’urbanisme.",
			"Le Service de la planification étudiera l’application de cette démarche graduelle à deux rues de {home}.",
			"Les équipes des deux villes partageront leurs guides d’aménagement des espaces publics."},
	},
	{
		id: "mobilite",
		topics: []string{"l’insertion urbaine du tramway", "l’intégration des réseaux de transport en commun",
			"le vélo en libre-service", "l’électrification des autobus|climat-environnement", "la gestion des chantiers de transport",
			"la sécurité des déplacements actifs", "la mobilité hivernale"},
		sites: []string{"le centre de maintenance du tramway", "le pôle d’échanges multimodal", "le chantier de la nouvelle ligne",
			"le garage d’autobus électriques"},
		orgs: []org{{"l’", "Union internationale des transports publics", "UITP"},
			{"la ", "Société de transport de {home}", ""},
			{"la ", "Régie des transports de {city}", ""}},
		service: []string{"le Service du transport et de la mobilité", "le Bureau de projet du tramway",
			"la Division de la planification du transport"},
		roles: []string{"le conseiller municipal membre du comité de suivi du tramway", "le directeur de la Division de la planification du transport",
			"la directrice adjointe du Bureau de projet du tramway"},
		events: []string{"le Sommet mondial de l’UITP", "le congrès international de la mobilité durable"},
		context: []string{"{city} exploite un réseau de tramway de plusieurs lignes dont le tracé traverse le centre historique.",
			"La ville a restructuré son réseau d’autobus et développé un vaste réseau cyclable au cours de la dernière décennie.",
			"La mise en service de la nouvelle ligne a été accompagnée d’un réaménagement complet des rues qu’elle emprunte."},
		results: []string{"Ces constats seront transmis au Bureau de projet du tramway, qui prépare la phase de construction.",
			"L’exploitant a accepté d’accueillir une équipe de {home} pour un stage d’observation de deux semaines.",
			"Les méthodes d’accompagnement des commerçants pendant les travaux seront adaptées au contexte de {home}."},
	},
	{
		id: "tourisme",
		topics: []string{"la gestion des flux touristiques", "l’attraction de congrès internationaux",
			"la promotion de la destination", "l’encadrement des locations de courte durée", "l’œnotourisme",
			"le tourisme d’affaires", "l’accueil des croisiéristes|ville-port"},
		sites: []string{"l’office de tourisme", "le centre des congrès", "le quartier historique très fréquenté",
			"le nouveau pavillon d’accueil des visiteurs"},
		orgs: []org{{"l’", "Office du tourisme de {home}", ""}, {"l’", "Office de tourisme et des congrès de {city}", ""},
			{"l’", "Organisation mondiale du tourisme", "OMT"}},
		service: []string{"l’Office du tourisme de {home}", "la Division des grands événements"},
		roles: []string{"le directeur de l’Office du tourisme de {home}", "la directrice du développement des marchés",
			"un représentant du Centre des congrès de {home}"},
		events: []string{"le Salon international du tourisme", "le congrès annuel de l’Association internationale des congrès"},
		context: []string{"{city} accueille plusieurs millions de visiteurs par année et cherche à mieux répartir leur présence sur son territoire.",
			"Le tourisme y représente une part importante de l’emploi, ce qui a conduit la ville à adopter une stratégie de tourisme durable."},
		results: []string{"Une activité de promotion de la destination auprès des voyagistes a réuni une quarantaine de professionnels.",
			"Des discussions ont été amorcées pour présenter la candidature de {home} pour une édition future d’un congrès international.",
			"Les outils de gestion de l’achalandage seront présentés lors d’un atelier interne d’ici {when}."},
	},
	{
		id: "economie-innovation",
		topics: []string{"l’attraction d’investissements étrangers", "l’écosystème d’innovation",
			"l’accompagnement des jeunes pousses", "les sciences de la vie|savoir-education", "l’intelligence artificielle appliquée|numerique",
			"le développement de la main-d’œuvre", "l’immobilier de laboratoire|urbanisme"},
		sites: []string{"l’accélérateur d’entreprises", "le parc technologique", "le campus d’innovation",
			"l’incubateur de jeunes pousses"},
		orgs: []org{{"la ", "Chambre de commerce et d’industrie de {city}", ""},
			{"l’", "Agence de développement économique de {home}", ""},
			{"l’", "Agence de promotion des investissements de {city}", ""}},
		service: []string{"le Service du développement économique", "l’Agence de développement économique de {home}"},
		roles: []string{"une conseillère en développement économique", "la conseillère municipale responsable du développement économique",
			"un représentant de l’Agence de développement économique de {home}"},
		events: []string{"le Salon international de l’innovation", "le Forum mondial des villes d’innovation"},
		context: []string{"{city} compte une concentration remarquable d’universités, de centres de recherche et d’accélérateurs d’entreprises.",
			"L’économie de la région de {city} s’est diversifiée autour des technologies et des services aux entreprises."},
		results: []string{"Les {n} entreprises de la délégation ont tenu plus de quarante rencontres d’affaires.",
			"Une entreprise de {city} a accepté de visiter {home} d’ici {when} en vue d’une implantation.",
			"Deux jeunes pousses de {home} ont obtenu des rencontres de suivi avec des investisseurs de la région."},
	},
	{
		id: "relations-internationales",
		topics: []string{"la coopération entre les deux villes", "le renouvellement de l’entente de jumelage",
			"la vision des relations internationales de {home}", "les réseaux de villes",
			"la diplomatie des villes", "le programme de coopération"},
		sites: []string{"l’hôtel de ville", "la délégation générale", "le siège du réseau"},
		orgs: []org{{"", "Cités et gouvernements locaux unis", "CGLU"}, {"la ", "Ville de {city}", ""},
			{"le ", "Bureau des relations internationales", ""}},
		service: []string{"le Bureau des relations internationales"},
		roles: []string{"le directeur du Bureau des relations internationales", "une conseillère en relations internationales",
			"la conseillère municipale responsable des relations internationales"},
		events: []string{"le Congrès mondial de CGLU", "l’assemblée générale du réseau des villes jumelées"},
		context: []string{"{home} et {city} entretiennent des liens d’amitié et de coopération depuis plusieurs décennies.",
			"La mission s’inscrit dans la vision des relations internationales adoptée par le conseil municipal.",
			"L’entente de coopération entre les deux villes, arrivée à échéance, devait être actualisée."},
		results: []string{"Les deux villes ont signé une entente de coopération renouvelée pour les trois prochaines années.",
			"Un plan d’action annuel sera adopté par un comité conjoint d’ici {when}.",
			"La rencontre a permis de présenter la vision des relations internationales de {home} et ses thématiques prioritaires."},
	},
	{
		id: "francophonie",
		topics: []string{"la place des villes dans l’espace francophone", "la coopération entre villes francophones",
			"la promotion de la langue française", "les échanges de jeunes francophones"},
		sites: []string{"le siège de l’organisation", "la maison de la Francophonie"},
		orgs: []org{{"l’", "Association internationale des maires francophones", "AIMF"},
			{"l’", "Organisation internationale de la Francophonie", "OIF"},
			{"l’", "Office franco-québécois pour la jeunesse", "OFQJ"}},
		service: []string{"le Bureau des relations internationales"},
		roles:   []string{"la conseillère municipale responsable de la Francophonie", "un conseiller en relations internationales"},
		events:  []string{"l’assemblée générale de l’AIMF", "le Sommet de la Francophonie", "le Forum mondial de la langue française"},
		context: []string{"{home} est membre de l’AIMF, réseau qui regroupe plus de 300 villes et associations de villes de l’espace francophone.",
			"La mission coïncidait avec une rencontre du réseau des villes francophones, à laquelle {home} participe chaque année."},
		results: []string{"{home} a été invitée à coanimer un atelier lors de la prochaine assemblée du réseau.",
			"Un programme de stages croisés pour de jeunes professionnels francophones sera lancé d’ici {when}.",
			"L’allocution en séance plénière a permis de rappeler le rôle de {home} dans les réseaux de villes francophones."},
	},
	{
		id: "gouvernance",
		topics: []string{"la participation citoyenne", "le budget participatif", "la décentralisation",
			"le financement des municipalités", "la gestion de la performance municipale", "la gouvernance métropolitaine"},
		sites: []string{"le conseil de quartier", "la mairie d’arrondissement", "le centre de services aux citoyens"},
		orgs: []org{{"l’", "Organisation de coopération et de développement économiques", "OCDE"},
			{"l’", "Observatoire international de la démocratie participative", "OIDP"}},
		service: []string{"la Direction générale", "le Service des finances", "le Bureau de la participation citoyenne"},
		roles:   []string{"le directeur général adjoint", "la conseillère en affaires intergouvernementales de la Direction générale"},
		events:  []string{"la conférence de l’Observatoire international de la démocratie participative", "le congrès annuel des municipalités"},
		context: []string{"{city} a mis en place un budget participatif qui consacre une part de ses investissements aux projets proposés par les citoyens.",
			"Les municipalités du pays réclament un nouveau cadre financier qui leur donnerait des revenus croissant avec l’économie."},
		results: []string{"Le Bureau de la participation citoyenne étudiera la possibilité d’un projet pilote de budget participatif.",
			"Les deux administrations échangeront leurs indicateurs de performance municipale."},
	},
	{
		id: "savoir-education",
		topics: []string{"les partenariats universitaires", "la mobilité étudiante", "la recherche appliquée sur les données urbaines|numerique",
			"la formation professionnelle", "les échanges de chercheurs"},
		sites: []string{"le campus universitaire", "le centre de recherche", "l’école d’ingénieurs"},
		orgs: []org{{"l’", "Université de {city}", ""}, {"l’", "Université de {home}", ""},
			{"l’", "Agence universitaire de la Francophonie", "AUF"}},
		service: []string{"le Bureau des relations internationales", "l’Université de {home}"},
		roles: []string{"le vice-recteur adjoint aux relations internationales de l’Université de {home}",
			"la vice-rectrice à la recherche de l’Université de {home}"},
		events: []string{"le congrès international des universités", "le salon des études à l’étranger"},
		context: []string{"{city} est une grande ville universitaire qui accueille plus de cent mille étudiants.",
			"Les universités des deux villes collaborent déjà dans plusieurs domaines de recherche."},
		results: []string{"Deux ententes d’échanges étudiants ont été signées entre les universités des deux villes.",
			"Un fonds d’amorçage conjoint pour des projets de recherche sera créé d’ici {when}."},
	},
	{
		id: "numerique",
		topics: []string{"la ville intelligente", "les données ouvertes", "les tableaux de bord de performance",
			"la cybersécurité municipale", "l’intelligence artificielle au service des citoyens", "les jumeaux numériques"},
		sites: []string{"le laboratoire d’innovation urbaine", "le centre de données municipal", "le bureau de la ville intelligente"},
		orgs: []org{{"le ", "Partenariat pour un gouvernement ouvert", "PGO"},
			{"la ", "Coalition des villes pour les droits numériques", ""}},
		service: []string{"le Service des technologies de l’information", "le Bureau de la ville intelligente"},
		roles:   []string{"la directrice du Service des technologies de l’information", "le membre du comité exécutif responsable du numérique"},
		events:  []string{"le Smart City Expo", "le Forum des villes numériques"},
		context: []string{"{city} publie un tableau de bord quotidien de la performance municipale et un portail de données ouvertes.",
			"La ville a créé une équipe chargée d’expérimenter de nouveaux services numériques avec les citoyens."},
		results: []string{"Le Service des technologies de l’information évaluera la faisabilité d’un tableau de bord semblable.",
			"L’équipe de {city} accueillera une employée de {home} pour un stage d’observation de deux semaines."},
	},
	{
		id: "sport-loisirs",
		topics: []string{"l’accueil de grands événements sportifs", "le sport en plein air", "les équipements sportifs de quartier",
			"les loisirs d’hiver", "l’héritage des grands événements"},
		sites:   []string{"le nouveau stade", "le centre aquatique", "le parc de plein air", "l’anneau de glace"},
		orgs:    []org{{"l’", "Union mondiale des villes olympiques", ""}, {"le ", "Comité international olympique", "CIO"}},
		service: []string{"le Service des loisirs, des sports et de la vie communautaire"},
		roles:   []string{"la directrice du Service des loisirs et des sports", "le conseiller municipal responsable des sports"},
		events:  []string{"le sommet de l’Union mondiale des villes olympiques", "la Coupe du monde de sports d’hiver"},
		context: []string{"{city} a accueilli plusieurs grands événements sportifs internationaux et en a tiré un héritage d’équipements de quartier.",
			"La ville mise sur le sport et le plein air pour animer ses berges et ses parcs."},
		results: []string{"{home} a été invitée à présenter sa candidature pour une étape d’un circuit international.",
			"Les deux villes partageront leurs pratiques de gestion des équipements sportifs de quartier."},
	},
}

// Objective templates, common to every theme.
var goalTemplates = []string{
	"Documenter {topic} à {city} en vue des projets de {home}.",
	"Échanger avec {org} sur {topic}.",
	"S’inspirer des pratiques de {city} {mat_topic}, notamment par la visite {de_site}.",
	"Faire connaître l’expertise de {home} {mat_topic} auprès de {org}.",
	"Explorer avec {org} des pistes de collaboration sur {topic}.",
	"Renforcer les liens de {home} avec {org}, en particulier sur {topic}.",
	"Participer {a_event} et y présenter l’expérience de {home} {mat_topic}.",
	"Comprendre les facteurs de succès de {city} {mat_topic}.",
	"Établir des liens entre {service} et {org} au sujet {de_topic}.",
	"Observer {topic} à {city} et en tirer des enseignements pour {home}.",
	"Présenter à {org} les projets de {home} {mat_topic}.",
	"Approfondir la collaboration avec {org} au sujet {de_topic}.",
	"Recueillir de la documentation sur {topic} auprès {de_org}.",
	"Visiter {site} et rencontrer les responsables {de_topic}.",
	"Cerner les possibilités de partenariat avec {org} {mat_topic}.",
	"Promouvoir l’expertise des entreprises et des institutions de {home} {mat_topic}.",
}

// Outcome lead phrases (the bold titles), common to every theme.
var titleTemplates = []string{
	"Partage d’expertise {mat_topic}",
	"Visibilité de {home} auprès {de_org}",
	"Échange de bonnes pratiques sur {topic}",
	"Entente de principe avec {org}",
	"Documentation {de_topic}",
	"Collaboration avec {org}",
	"Projet pilote sur {topic}",
	"Mise en valeur de l’expertise de {home}",
	"Invitation {de_org}",
	"Enseignements sur {topic}",
	"Suivi {de_topic}",
	"Positionnement de {home} {mat_topic}",
	"Rayonnement de {home} auprès {de_org}",
	"Nouveau partenariat {mat_topic}",
	"Accueil d’une délégation {de_org}",
	"Leçons tirées de la visite {de_site}",
	"Projet commun sur {topic}",
	"Reconnaissance de l’approche de {home}",
	"Ouverture d’un dialogue avec {org}",
}

// Outcome sentences, common to every theme.
var resultTemplates = []string{
	"{org_cap} a accepté de partager avec {home} sa documentation sur {topic}.",
	"La visite {de_site} a permis de documenter en détail {topic}.",
	"Les échanges avec {org} ont porté sur {topic} et sur les outils mis en place depuis quelques années.",
	"{service_cap} évaluera la pertinence de cette approche pour {home} d’ici {when}.",
	"La délégation a présenté l’approche de {home} {mat_topic}, qui a suscité de nombreuses questions.",
	"Une rencontre de suivi est prévue avec {org} d’ici {when}.",
	"Ces enseignements seront transmis {a_service}.",
	"Plus de {n0} participants ont assisté à la présentation de {home}.",
	"{org_cap} s’est engagé à transmettre ses études d’impact et ses indicateurs de suivi.",
	"Les responsables rencontrés ont souligné l’intérêt de l’expérience de {home} {mat_topic}.",
	"Une séance de travail conjointe sur {topic} sera organisée par visioconférence d’ici {when}.",
	"La délégation a pu mesurer les résultats obtenus par {city} {mat_topic} au cours des dernières années.",
	"Cette rencontre ouvre la voie à une entente de collaboration qui pourrait être signée en {year2}.",
	"{service_cap} a été désigné pour assurer le suivi de ce dossier.",
	"Le modèle présenté par {org} pourrait être adapté aux besoins de {home} à moindre coût.",
	"Les échanges ont permis de comparer les approches des deux villes et d’en dégager des pistes d’action.",
}

// Follow-up items.
var followTemplates = []string{
	"Transmettre la documentation recueillie {a_service} ({when}).",
	"Organiser une rencontre de suivi avec {org}.",
	"Préparer l’accueil d’une délégation de {city} à {home} d’ici {when}.",
	"Faire rapport au comité exécutif.",
	"Déposer le présent rapport au conseil municipal.",
	"Assurer le suivi des entreprises rencontrées.",
	"Évaluer l’adhésion de {home} au réseau.",
	"Planifier une prochaine mission en {year2}.",
	"Rédiger une note sur {topic} à l’intention de la direction générale.",
}

// Program activities, per day.
var activityTemplates = []string{
	"rencontre avec {org}",
	"visite {de_site}",
	"séance de travail à l’hôtel de ville",
	"dîner de travail avec {org}",
	"atelier sur {topic}",
	"présentation de {home} devant les partenaires locaux",
	"réception de réseautage",
	"visite technique {de_site}",
}

// Sentences that tell a day of the program at length, in long reports.
var dayTemplates = []string{
	"La délégation a été accueillie par {org}, qui a présenté {topic}.",
	"Les échanges ont porté notamment sur {topic}.",
	"La journée s’est conclue par une réception offerte par {org}.",
	"La visite {de_site} a été suivie d’une séance de questions avec les équipes techniques.",
	"Les responsables rencontrés ont présenté les résultats obtenus {mat_topic}.",
	"Une présentation de {home} a été faite devant une cinquantaine de participants.",
}

// Context sentences that fit any destination.
var contextTemplates = []string{
	"Avec {pop} habitants, {city} ({country}) compte parmi les grandes villes de sa région.",
	"La mission a été organisée avec l’appui {de_org}.",
	"Il s’agissait de la première mission de {home} à {city} depuis plusieurs années.",
	"Le programme a été préparé avec la direction des relations internationales de {city}.",
	"La mission visait aussi à consolider les liens établis lors d’une première visite, en {prev}.",
	"Le programme, préparé avec {org}, comprenait des rencontres institutionnelles et des visites techniques.",
	"Cette mission faisait suite à l’accueil à {home} d’une délégation de {city} en {prev}.",
	"Les deux villes font face à des enjeux comparables {mat_topic}.",
}

// Delegation members common to every mission.
var commonRoles = []string{
	"le maire (chef de délégation)", "la conseillère municipale responsable des relations internationales",
	"le directeur du Bureau des relations internationales", "une conseillère du Bureau des relations internationales",
	"le membre du comité exécutif responsable des relations internationales", "une attachée de presse du cabinet du maire",
}

// Category sets for outcomes; {home} is the home city. A nil set means
// categories named after the outcomes' themes.
var categorySets = [][]string{
	{"{home} RAYONNE", "{home} APPREND", "{home} ATTIRE"},
	{"Retombées économiques", "Retombées institutionnelles", "Retombées culturelles", "Retombées techniques"},
	{"Court terme", "Moyen terme", "Long terme"},
	nil,
}

// benefitKind is the « Retombées … » category of an outcome by its theme.
var benefitKind = map[string]string{
	"economie-innovation": "Retombées économiques", "tourisme": "Retombées économiques", "ville-port": "Retombées économiques",
	"relations-internationales": "Retombées institutionnelles", "gouvernance": "Retombées institutionnelles",
	"francophonie": "Retombées institutionnelles", "culture": "Retombées culturelles", "sport-loisirs": "Retombées culturelles",
	"savoir-education": "Retombées scientifiques", "climat-environnement": "Retombées techniques",
	"urbanisme": "Retombées techniques", "mobilite": "Retombées techniques", "numerique": "Retombées techniques",
}

// Heading wordings per section kind.
var headings = map[string][]string{
	"delegation": {"Délégation", "Composition de la délégation", "Participants", "Membres de la délégation"},
	"context":    {"Contexte", "Mise en contexte", "Contexte de la mission", "Mise en situation"},
	"objectives": {"Objectifs", "Objectifs de la mission", "Objectifs de mission", "Buts poursuivis",
		"Objectifs poursuivis", "Buts de la mission"},
	"program": {"Programme", "Déroulement", "Déroulement de la mission", "Programme de la mission",
		"Programme (résumé)", "Itinéraire"},
	"outcomes": {"Retombées", "Principales retombées", "Aperçu des principales retombées de la mission",
		"Faits saillants", "Résultats obtenus", "Bilan de la mission", "Retombées pour {home}",
		"Aperçu des retombées", "Retombées de la mission"},
	"followup":   {"Suivis", "Suivis et prochaines étapes", "Prochaines étapes", "Suites à donner", "Actions de suivi"},
	"costs":      {"Coûts de la mission", "Coûts", "Dépenses", "Budget de la mission", "Frais de mission"},
	"conclusion": {"Conclusion", "En conclusion", "Bilan"},
}

// Producers written in PDF metadata, for variety.
var producers = []string{"Microsoft® Word 2016", "Microsoft® Word pour Microsoft 365", "LibreOffice 7.4",
	"LibreOffice 6.0", "Skia/PDF m120", "Acrobat PDFMaker 11 pour Word", "FPDF"}
