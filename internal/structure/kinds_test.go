package structure

import (
	"testing"

	"escale/internal/mission"
)

func TestHeadingKind(t *testing.T) {
	tests := []struct{ heading, want string }{
		{"OBJECTIFS DE MISSION", mission.KindObjectives},
		{"Buts poursuivis", mission.KindObjectives},
		{"2. Objectifs de la mission :", mission.KindObjectives},
		{"Aperçu des principales retombées de la mission", mission.KindOutcomes},
		{"Faits saillants", mission.KindOutcomes},
		{"Résultats obtenus", mission.KindOutcomes},
		{"Bilan de la mission", mission.KindOutcomes},
		{"Principaux constats", mission.KindOutcomes},
		{"Bilan financier", mission.KindCosts},
		{"COÛTS DE LA MISSION", mission.KindCosts},
		{"Budget", mission.KindCosts},
		{"Mise en contexte", mission.KindContext},
		{"I – Contexte", mission.KindContext},
		{"Programme (résumé)", mission.KindProgram},
		{"Déroulement de la mission", mission.KindProgram},
		{"Itinéraire", mission.KindProgram},
		{"Délégation", mission.KindDelegation},
		{"Composition de la délégation", mission.KindDelegation},
		{"Suites à donner", mission.KindFollowup},
		{"SUIVIS ET PROCHAINES ÉTAPES", mission.KindFollowup},
		{"Actions de suivi", mission.KindFollowup},
		{"Recommandations", mission.KindFollowup},
		{"Conclusion", mission.KindOther},
		{"Annexe 2 – Personnes rencontrées", mission.KindOther},
		{"Contexte et objectifs", mission.KindObjectives},
		{"Conclusion et retombées", mission.KindOutcomes},
		{"Enseignements de la mission", mission.KindOutcomes},
		// Section words inside a sentence or a name are not headings.
		{"Assurer le suivi des ententes", ""},
		{"Mission de suivi à Lisbonne", ""},
		{"Québec RAYONNE", ""},
		{"Court terme", ""},
		{"Visibilité accrue de Québec", ""},
	}
	for _, tc := range tests {
		if got := headingKind(tc.heading); got != tc.want {
			t.Errorf("headingKind(%q) = %q, want %q", tc.heading, got, tc.want)
		}
	}
}

func TestSplitTextLead(t *testing.T) {
	tests := []struct {
		body, title, rest string
	}{
		{"Habitation : Le maire a rencontré le ministre fédéral du Logement.", "Habitation", "Le maire a rencontré le ministre fédéral du Logement."},
		{"Mise en valeur de la Politique culturelle 2025-2030. La rencontre avec les responsables a permis beaucoup.", "Mise en valeur de la Politique culturelle 2025-2030", "La rencontre avec les responsables a permis beaucoup."},
		{"Retombées médiatiques : Entrevue de l’élue parue dans Le Petit journal.", "Retombées médiatiques", "Entrevue de l’élue parue dans Le Petit journal."},
		{"Partenariat portuaire – Les deux ports échangeront leurs données chaque année.", "Partenariat portuaire", "Les deux ports échangeront leurs données chaque année."},
		// Sentences are texts, not titles.
		{"La Ville a obtenu l’information sur l’adhésion. Une recommandation sera analysée.", "", ""},
		{"Bruxelles Mobilité a présenté les premiers effets de la Ville 30. Ces données alimenteront la réflexion.", "", ""},
		{"EUROCITIES a invité la Ville à suivre les travaux de son forum Environnement.", "", ""},
		{"M. Tremblay a présenté le projet aux élus de la région.", "", ""},
		{"Les deux ports échangeront leurs données chaque année.", "", ""},
	}
	for _, tc := range tests {
		title, rest, ok := splitTextLead(tc.body)
		if ok != (tc.title != "") || title != tc.title || (ok && rest != tc.rest) {
			t.Errorf("splitTextLead(%q) = %q, %q, %v; want %q, %q", tc.body, title, rest, ok, tc.title, tc.rest)
		}
	}
}
