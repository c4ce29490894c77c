package dates

import (
	"fmt"
	"strings"
	"testing"
)

// show renders spans compactly: kind:from..to«text».
func show(text string, spans []Span) string {
	var parts []string
	for _, s := range spans {
		if s.Kind == Day || s.Kind == Month {
			parts = append(parts, fmt.Sprintf("%s:%s«%s»", s.Kind, s.From, s.Text(text)))
		} else {
			parts = append(parts, fmt.Sprintf("%s:%s..%s«%s»", s.Kind, s.From, s.To, s.Text(text)))
		}
	}
	return strings.Join(parts, " ")
}

func TestParse(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Mission du 26 au 30 novembre 2024.", "range:2024-11-26..2024-11-30«du 26 au 30 novembre 2024»"},
		{"Du 19 au 26 mars 2022", "range:2022-03-19..2022-03-26«Du 19 au 26 mars 2022»"},
		{"26-30 novembre", "range:????-11-26..????-11-30«26-30 novembre»"},
		{"26 – 30 nov. 2024", "range:2024-11-26..2024-11-30«26 – 30 nov. 2024»"},
		{"du 30 novembre au 2 décembre 2024", "range:2024-11-30..2024-12-02«du 30 novembre au 2 décembre 2024»"},
		{"du 28 décembre 2024 au 3 janvier 2025", "range:2024-12-28..2025-01-03«du 28 décembre 2024 au 3 janvier 2025»"},
		{"du 28 décembre au 3 janvier 2025", "range:2024-12-28..2025-01-03«du 28 décembre au 3 janvier 2025»"},
		{"le 3 février 2025", "day:2025-02-03«le 3 février 2025»"},
		{"le 3 fevrier 2025", "day:2025-02-03«le 3 fevrier 2025»"},
		{"LE 3 FÉVRIER 2025", "day:2025-02-03«LE 3 FÉVRIER 2025»"},
		{"1er mars", "day:????-03-01«1er mars»"},
		{"le 1er août 2023", "day:2023-08-01«le 1er août 2023»"},
		{"le 15 aout 2023", "day:2023-08-15«le 15 aout 2023»"},
		{"le 9 sept. 2019", "day:2019-09-09«le 9 sept. 2019»"},
		{"le 9 sept 2019", "day:2019-09-09«le 9 sept 2019»"},
		{"12 déc. 2021", "day:2021-12-12«12 déc. 2021»"},
		{"2024-11-26", "day:2024-11-26«2024-11-26»"},
		{"26/11/2024", "day:2024-11-26«26/11/2024»"},
		{"26.11.2024", "day:2024-11-26«26.11.2024»"},
		{"du 2024-11-26 au 2024-11-30", "range:2024-11-26..2024-11-30«du 2024-11-26 au 2024-11-30»"},
		{"Lundi 21 et mardi 22 mars", "range:????-03-21..????-03-22«Lundi 21 et mardi 22 mars»"},
		{"les 22 et 23 avril", "range:????-04-22..????-04-23«les 22 et 23 avril»"},
		{"les 3, 4 et 5 juin 2024", "range:2024-06-03..2024-06-05«les 3, 4 et 5 juin 2024»"},
		{"3, 4, 5 juin", "day:????-06-05«5 juin»"},
		{"Mardi 21 juin : arrivée", "day:????-06-21«Mardi 21 juin»"},
		{"du lundi 6 au vendredi 10 novembre 2023", "range:2023-11-06..2023-11-10«du lundi 6 au vendredi 10 novembre 2023»"},
		{"juin 2018", "month:2018-06-??«juin 2018»"},
		{"Sept. 2019", "month:2019-09-??«Sept. 2019»"},
		{"en juillet", "month:????-07-??«juillet»"},
		{"Politique culturelle 2025-2030", "years:2025-??-??..2030-??-??«2025-2030»"},
		{"de 2016 à 2018", "years:2016-??-??..2018-??-??«2016 à 2018»"},
		{"du 5 au 3 mai 2020", "day:2020-05-03«3 mai 2020»"},
		{"le 31 avril 2020", ""},
		{"le 29 février 2023", ""},
		{"le 29 février 2024", "day:2024-02-29«le 29 février 2024»"},
		{"plus de 2 000 élus", ""},
		{"Jour 1 : accueil", ""},
		{"3,7 millions d’habitants", ""},
		{"La planète Mars et mai", ""},
		{"en mai 2024", "month:2024-05-??«mai 2024»"},
		{"9e Forum mondial de l’eau", ""},
		{"composez le 418-641-6411", ""},
		{"version 1.2.3.4", ""},
		{"du 22 au 25 juin\n2016", "range:????-06-22..????-06-25«du 22 au 25 juin»"},
		{"octobre 2019 et oct 2020", "month:2019-10-??«octobre 2019» month:2020-10-??«oct 2020»"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := show(tt.text, Parse(tt.text)); got != tt.want {
			t.Errorf("Parse(%q) = %s\n\twant %s", tt.text, got, tt.want)
		}
	}
}

func TestWithYear(t *testing.T) {
	tests := []struct {
		text     string
		year     int
		from, to string
	}{
		{"26-30 novembre", 2024, "2024-11-26", "2024-11-30"},
		{"du 28 décembre au 3 janvier", 2025, "2024-12-28", "2025-01-03"},
		{"le 3 mars 2020", 2024, "2020-03-03", "2020-03-03"},
	}
	for _, tt := range tests {
		spans := Parse(tt.text)
		if len(spans) != 1 {
			t.Fatalf("Parse(%q) = %d spans, want 1", tt.text, len(spans))
		}
		s := spans[0].WithYear(tt.year)
		if s.From.String() != tt.from || s.To.String() != tt.to {
			t.Errorf("Parse(%q)[0].WithYear(%d) = %s..%s, want %s..%s", tt.text, tt.year, s.From, s.To, tt.from, tt.to)
		}
	}
}

func TestDateTime(t *testing.T) {
	if _, ok := (Date{Month: 3, Day: 1}).Time(); ok {
		t.Error("Date{Month: 3, Day: 1}.Time() ok, want not ok for an incomplete date")
	}
	tm, ok := Date{2024, 2, 29}.Time()
	if !ok || tm.Format("2006-01-02") != "2024-02-29" {
		t.Errorf("Date{2024, 2, 29}.Time() = %v, %v", tm, ok)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"du 26 au 30 novembre 2024", "26-30 novembre", "le 1er mars", "2024-11-26", "26/11/2024",
		"Lundi 21 et mardi 22 mars", "du 28 décembre au 3 janvier 2025", "2025-2030", "sept. 2019",
		"du 99 au 1 mars", "9999-99-99", "1er", "–", "\xff\xfe",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		last := 0
		for _, s := range Parse(text) {
			if s.Start < last || s.End <= s.Start || s.End > len(text) {
				t.Fatalf("Parse(%q): span %+v out of order or bounds", text, s)
			}
			last = s.End
			if s.Kind != YearRange && (!s.From.Valid() || !s.To.Valid()) {
				t.Fatalf("Parse(%q): invalid date in %+v", text, s)
			}
			if s.Kind == Range && s.From.Complete() && s.To.Complete() {
				a, _ := s.From.Time()
				b, _ := s.To.Time()
				if !a.Before(b) {
					t.Fatalf("Parse(%q): range %s..%s out of order", text, s.From, s.To)
				}
			}
		}
	})
}
