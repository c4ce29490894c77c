package taxonomy

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"escale/internal/score"
)

func TestDefaultHasContractThemes(t *testing.T) {
	want := []string{"culture", "ville-port", "climat-environnement", "urbanisme", "mobilite", "tourisme",
		"economie-innovation", "relations-internationales", "francophonie", "gouvernance", "savoir-education",
		"numerique", "sport-loisirs"}
	tx := Default()
	var got []string
	for _, th := range tx.Themes {
		got = append(got, th.ID)
		if th.Label == "" || len(th.Terms) < 10 {
			t.Errorf("Default() theme %s: label %q, %d terms; want a label and at least 10 terms", th.ID, th.Label, len(th.Terms))
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("Default() themes = %v, want %v", got, want)
	}
	if tx.UnitThreshold <= 0 {
		t.Errorf("Default().UnitThreshold = %v, want > 0", tx.UnitThreshold)
	}
}

func TestClassify(t *testing.T) {
	tx := Default()
	tests := []struct {
		text string
		want []string
	}{
		{"Visiter le nouveau musée d’art contemporain et rencontrer les responsables du festival de théâtre.", []string{"culture"}},
		{"Observer la réhabilitation des anciens bassins portuaires et l’interface ville-port du Havre.", []string{"ville-port"}},
		{"Étudier le réseau de tramway, les pistes cyclables et l’électrification des autobus.", []string{"mobilite"}},
		{"Présenter les mesures d’adaptation aux changements climatiques contre les inondations et les îlots de chaleur.", []string{"climat-environnement"}},
		{"Rencontrer des jeunes pousses et des investisseurs de l’écosystème d’innovation local.", []string{"economie-innovation"}},
		// The OIF is an international organisation too.
		{"Participer au sommet de l’Organisation internationale de la Francophonie et de l’AIMF.", []string{"relations-internationales", "francophonie"}},
		{"Échanger sur la participation citoyenne et la gouvernance des finances publiques municipales.", []string{"gouvernance"}},
		{"Conclure une entente d’échanges étudiants entre les universités et des stages de recherche.", []string{"savoir-education"}},
		{"Découvrir la plateforme de données ouvertes et les capteurs de la ville intelligente.", []string{"numerique"}},
		{"Visiter le stade olympique et les installations sportives en vue des grands événements sportifs.", []string{"sport-loisirs"}},
		{"Promouvoir la destination auprès des voyagistes et des agences de voyages pour attirer les touristes.", []string{"tourisme"}},
		// A passing mention is not enough.
		{"La délégation a pris le métro pour se rendre à la réunion.", nil},
		{"", nil},
		// The words of every mission report name no theme.
		{"Renforcer les liens avec les partenaires, partager l’expertise de la Ville et assurer le suivi des échanges.", nil},
		{"Rencontrer le maire, les élus du conseil municipal et les citoyens présents pour présenter la délégation.", nil},
		{"La délégation a participé à la conférence, aux ateliers de formation et à l’assemblée générale.", nil},
		{"Lors de son séjour, la délégation a visité plusieurs secteurs et rencontré des responsables publics.", nil},
		// Words of a theme inside phrases that are not about it.
		{"Assurer la mise en œuvre du plan et la mise en œuvre des mesures avec la main-d’œuvre disponible.", nil},
		{"Siéger au conseil d’administration de l’association et au conseil d’administration de l’Administration portuaire.", nil},
		{"La Ville est en train de revoir ses règlements et en train de consulter ses partenaires.", nil},
		{"Souligner l’importance de ces échanges, très importants pour les deux parties.", nil},
		{"Tenir une consultation publique et consulter les citoyens sur le budget participatif.", []string{"gouvernance"}},
		{"Présenter les vins de climat froid et la cuisine d’un climat nordique aux chefs invités.", nil},
		{"Offrir des vols directs à destination de Lyon et à destination de Marseille.", nil},
		{"Rencontrer les bénévoles de l’Escale du livre et de l’Escale du livre jeunesse.", nil},
		// A theme named in passing in a passage about another one.
		{"Le festival de théâtre de rue a présenté ses spectacles et ses artistes dans les bibliothèques et les musées du quartier, devant un nouvel espace public.", []string{"culture"}},
		// Two themes that share a passage equally.
		{"Comprendre la reconversion des anciens bassins portuaires en quartiers d’habitation et le réaménagement des quais.", []string{"ville-port", "urbanisme"}},
	}
	for _, tt := range tests {
		if got := tx.Classify(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("Classify(%q) = %v, want %v (scores %v)", tt.text, got, tt.want, tx.Score(tt.text))
		}
	}
}

func TestScoreCountsLongestTermOnce(t *testing.T) {
	tx, err := Load(strings.NewReader("theme a A\n3 patrimoine mondial\n2 patrimoin*\n"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		want float64
	}{
		{"le patrimoine mondial", 3},
		{"le Patrimoine et les patrimoines", 4},
		{"patrimoine patrimoine patrimoine", 4}, // a term counts at most twice
		{"PATRIMOINE MONDIAL, patrimoines", 5},
	}
	for _, tt := range tests {
		if got := tx.Score(tt.text)[0]; got != tt.want {
			t.Errorf("Score(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestLoad(t *testing.T) {
	bad := []string{
		"",
		"# nothing\n",
		"3 culture\n",
		"theme\n",
		"theme a A\ntheme a B\n",
		"theme a A\nheavy culture\n",
		"setting unit-threshold x\ntheme a A\n",
		"setting colour 3\ntheme a A\n",
		"setting dominance 2\ntheme a A\n",
		"setting report-threshold -1\ntheme a A\n",
		"setting unit-threshold NaN\ntheme a A\n",
		"theme a A\n-1 jardin\n",
		"theme a A\nInf jardin\n",
	}
	for _, in := range bad {
		if _, err := Load(strings.NewReader(in)); err == nil {
			t.Errorf("Load(%q) succeeded, want an error", in)
		}
	}
	tx, err := Load(strings.NewReader("setting unit-threshold 2\ntheme jardins Jardins # mine\n2 jardin*, potager*\n1 fleur\n"))
	if err != nil {
		t.Fatalf("Load(valid) = %v", err)
	}
	if got := tx.Classify("Visite des Jardins potagers"); !slices.Equal(got, []string{"jardins"}) {
		t.Errorf("Classify with a loaded taxonomy = %v, want [jardins]", got)
	}
	if !tx.Has("jardins") || tx.Has("culture") {
		t.Errorf("Has: jardins %v, culture %v; want true, false", tx.Has("jardins"), tx.Has("culture"))
	}
}

// TestDefaultPhrasesWeighTheirWords checks the embedded vocabulary: a phrase
// is matched instead of its words, so a phrase that weighs less than one of
// its words would hide a sign of the theme; weight 0 says so on purpose.
func TestDefaultPhrasesWeighTheirWords(t *testing.T) {
	for _, th := range Default().Themes {
		for _, phrase := range th.Terms {
			if len(phrase.Words) < 2 || phrase.Weight == 0 {
				continue
			}
			for _, w := range phrase.Words {
				for _, word := range th.Terms {
					if len(word.Words) == 1 && word.Weight > phrase.Weight && matches(word.Words, []string{w}) {
						t.Errorf("theme %s: phrase %q weighs %v, less than its word %q (%v)",
							th.ID, strings.Join(phrase.Words, " "), phrase.Weight, word.Words[0], word.Weight)
					}
				}
			}
		}
	}
}

func TestClassifyReport(t *testing.T) {
	tx, err := Load(strings.NewReader(`
setting unit-threshold 5
setting report-threshold 9
setting dominance 0.5
theme jardins Jardins
3 jardin*
1 fleur*
theme velo Vélo
3 velo*
`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		passages []string
		want     []string
	}{
		{"one passage about a theme", []string{"Des vélos et des vélos électriques.", "Rien."}, []string{"velo"}},
		{"mentions below both thresholds", []string{"Un jardin.", "Un autre jardin."}, nil},
		{"a theme that recurs", []string{"Un jardin.", "Un autre jardin.", "Le jardin public."}, []string{"jardins"}},
		{"passing mention beside a main theme", []string{"Vélos, vélos, vélos électriques et vélos-cargos; un jardin fleuri."}, []string{"velo"}},
		{"no passage", nil, nil},
	}
	for _, tt := range tests {
		got, each := tx.ClassifyReport(tt.passages)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: ClassifyReport(%q) = %v, want %v", tt.name, tt.passages, got, tt.want)
		}
		for i, p := range tt.passages {
			if want := tx.Classify(p); !slices.Equal(each[i], want) {
				t.Errorf("%s: ClassifyReport(%q) passage %d = %v, want Classify's %v", tt.name, tt.passages, i, each[i], want)
			}
		}
	}
}

func TestZeroWeightPhraseHidesItsWords(t *testing.T) {
	tx, err := Load(strings.NewReader("theme a A\n3 oeuvre*\n0 mise en oeuvre\n"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		want float64
	}{
		{"la mise en œuvre", 0},
		{"une œuvre et sa mise en œuvre", 3},
		{"Mise en Oeuvre, œuvres", 3},
	}
	for _, tt := range tests {
		if got := tx.Score(tt.text)[0]; got != tt.want {
			t.Errorf("Score(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func FuzzLoadAndClassify(f *testing.F) {
	f.Add("theme a A\n2 jardin*, potager*\n", "Visite des jardins")
	f.Add("setting unit-threshold 0\ntheme a A\n1 *\n", "***")
	f.Fuzz(func(t *testing.T, data, text string) {
		tx, err := Load(strings.NewReader(data))
		if err != nil {
			return
		}
		for _, id := range tx.Classify(text) {
			if !tx.Has(id) {
				t.Fatalf("Classify(%q) = unknown theme %q", text, id)
			}
		}
		report, _ := tx.ClassifyReport([]string{text, data})
		for _, id := range report {
			if !tx.Has(id) {
				t.Fatalf("ClassifyReport(%q) = unknown theme %q", text, id)
			}
		}
	})
}

// BenchmarkLoad reads the embedded taxonomy, as every extraction child does
// once.
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(bytes.NewReader(defaultData)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClassify classifies every line of the annotated reports, as
// metadata extraction classifies a report's passages.
func BenchmarkClassify(b *testing.B) {
	truths, _ := score.LoadTruth("../../testdata/corpus/visible")
	var ps []string
	for _, t := range truths {
		ps = append(ps, strings.Split(t.Text, "\n")...)
	}
	tx := Default()
	b.ResetTimer()
	for b.Loop() {
		for _, p := range ps {
			tx.Classify(p)
		}
	}
}
