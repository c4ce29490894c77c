package service

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"escale/internal/mission"
	"escale/internal/store"
	"escale/internal/unaccent"
)

// Fields people may correct, in the order corrections are listed.
var correctable = []string{"title", "destinations", "start_date", "end_date", "year", "themes"}

// Limits on a correction, so that a patch cannot store a novel in a title.
const (
	maxTitle        = 500
	maxPlace        = 120
	maxDestinations = 50
	maxThemes       = 50
	maxPatchBytes   = 64 << 10
)

// InvalidError is a client's mistake in a correction or a query. Message is
// French and says what to send instead.
type InvalidError struct {
	Field   string
	Message string
}

func (e *InvalidError) Error() string { return "invalid " + e.Field + ": " + e.Message }

func invalid(field, format string, args ...any) error {
	return &InvalidError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// Corrections are validated, normalised changes to a record's metadata, in
// the form the catalog keeps them.
type Corrections []store.Correction

// ParsePatch reads a JSON merge patch (RFC 7396) of a record's metadata:
// an object whose members are among title, destinations, start_date,
// end_date, year and themes; null clears a field.
func ParsePatch(body []byte, validTheme func(string) bool) (Corrections, error) {
	if len(body) > maxPatchBytes {
		return nil, invalid("body", "La correction est trop longue (%d octets au plus).", maxPatchBytes)
	}
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&fields); err != nil || fields == nil {
		return nil, invalid("body", "Le corps doit être un objet JSON, par exemple {\"title\": \"Mission à Lisbonne\"}.")
	}
	if dec.More() {
		return nil, invalid("body", "Le corps doit contenir un seul objet JSON.")
	}
	if len(fields) == 0 {
		return nil, invalid("body", "La correction est vide : indiquez au moins un des champs %s.", strings.Join(correctable, ", "))
	}
	var out Corrections
	for _, name := range correctable {
		raw, ok := fields[name]
		if !ok {
			continue
		}
		delete(fields, name)
		value, err := normalize(name, raw, validTheme)
		if err != nil {
			return nil, err
		}
		out = append(out, store.Correction{Field: name, Value: value})
	}
	for name := range fields {
		return nil, invalid(name, "Le champ « %s » ne peut pas être corrigé. Champs modifiables : %s.", name, strings.Join(correctable, ", "))
	}
	return out, nil
}

// FormCorrections reads the optional metadata fields of an upload form:
// title, year, start_date, end_date, and repeatable city, country and theme.
// Empty fields are ignored.
func FormCorrections(form url.Values, validTheme func(string) bool) (Corrections, error) {
	patch := map[string]any{}
	if v := strings.TrimSpace(form.Get("title")); v != "" {
		patch["title"] = v
	}
	if v := strings.TrimSpace(form.Get("year")); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil {
			return nil, invalid("year", "L’année « %s » n’est pas un nombre : écrivez-la en chiffres, par exemple 2024.", clip(v))
		}
		patch["year"] = y
	}
	for _, f := range []string{"start_date", "end_date"} {
		if v := strings.TrimSpace(form.Get(f)); v != "" {
			patch[f] = v
		}
	}
	cities, countries := nonEmpty(form["city"]), nonEmpty(form["country"])
	if len(cities) > 0 || len(countries) > 0 {
		var dests []mission.Destination
		for i := 0; i < max(len(cities), len(countries)); i++ {
			var d mission.Destination
			if i < len(cities) {
				d.City = cities[i]
			}
			if i < len(countries) {
				d.Country = countries[i]
			}
			dests = append(dests, d)
		}
		patch["destinations"] = dests
	}
	if themes := nonEmpty(form["theme"]); len(themes) > 0 {
		patch["themes"] = themes
	}
	if len(patch) == 0 {
		return nil, nil
	}
	body, err := json.Marshal(patch)
	if err != nil {
		return nil, fmt.Errorf("service: form corrections: %w", err)
	}
	return ParsePatch(body, validTheme)
}

func nonEmpty(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// normalize checks one field's value and returns it in canonical JSON.
func normalize(field string, raw json.RawMessage, validTheme func(string) bool) (json.RawMessage, error) {
	isNull := bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
	switch field {
	case "title":
		if isNull {
			return json.RawMessage("null"), nil
		}
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return nil, invalid(field, "Le titre doit être un texte ou null.")
		}
		s = cleanText(s)
		if s == "" {
			return json.RawMessage("null"), nil
		}
		if utf8.RuneCountInString(s) > maxTitle {
			return nil, invalid(field, "Le titre est trop long (%d caractères au plus).", maxTitle)
		}
		return json.Marshal(s)
	case "start_date", "end_date":
		if isNull {
			return json.RawMessage("null"), nil
		}
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return nil, invalid(field, "La date doit être un texte AAAA-MM-JJ (par exemple 2024-05-13) ou null.")
		}
		s = strings.TrimSpace(s)
		if _, err := time.Parse("2006-01-02", s); err != nil {
			return nil, invalid(field, "La date « %s » n’est pas valide : écrivez-la AAAA-MM-JJ, par exemple 2024-05-13.", clip(s))
		}
		return json.Marshal(s)
	case "year":
		if isNull {
			return json.RawMessage("null"), nil
		}
		var y float64
		if json.Unmarshal(raw, &y) != nil || y != float64(int(y)) {
			return nil, invalid(field, "L’année doit être un nombre entier, par exemple 2024, ou null.")
		}
		if y < 1900 || y > 2200 {
			return nil, invalid(field, "L’année %d n’est pas plausible : indiquez l’année du déplacement, entre 1900 et 2200.", int(y))
		}
		return json.Marshal(int(y))
	case "destinations":
		if isNull {
			return json.RawMessage("[]"), nil
		}
		var ds []struct {
			City    *string `json:"city"`
			Country *string `json:"country"`
		}
		if json.Unmarshal(raw, &ds) != nil {
			return nil, invalid(field, "Les destinations doivent être une liste d’objets {\"city\": \"Lisbonne\", \"country\": \"Portugal\"}.")
		}
		if len(ds) > maxDestinations {
			return nil, invalid(field, "Trop de destinations (%d au plus).", maxDestinations)
		}
		out := []mission.Destination{}
		for _, d := range ds {
			var nd mission.Destination
			if d.City != nil {
				nd.City = cleanText(*d.City)
			}
			if d.Country != nil {
				nd.Country = cleanText(*d.Country)
			}
			if nd.City == "" && nd.Country == "" {
				continue
			}
			if utf8.RuneCountInString(nd.City) > maxPlace || utf8.RuneCountInString(nd.Country) > maxPlace {
				return nil, invalid(field, "Un nom de lieu est trop long (%d caractères au plus).", maxPlace)
			}
			if !slices.Contains(out, nd) {
				out = append(out, nd)
			}
		}
		return json.Marshal(out)
	case "themes":
		if isNull {
			return json.RawMessage("[]"), nil
		}
		var ts []string
		if json.Unmarshal(raw, &ts) != nil {
			return nil, invalid(field, "Les thèmes doivent être une liste d’identifiants, par exemple [\"economie\", \"culture\"].")
		}
		if len(ts) > maxThemes {
			return nil, invalid(field, "Trop de thèmes (%d au plus).", maxThemes)
		}
		out := []string{}
		for _, t := range ts {
			t = strings.ToLower(strings.TrimSpace(t))
			if t == "" || slices.Contains(out, t) {
				continue
			}
			if validTheme != nil && !validTheme(t) || validTheme == nil && !plausibleID(t) {
				return nil, invalid(field, "Le thème « %s » n’existe pas dans la taxonomie : utilisez l’identifiant d’un thème connu.", clip(t))
			}
			out = append(out, t)
		}
		return json.Marshal(out)
	}
	return nil, invalid(field, "Le champ « %s » ne peut pas être corrigé.", field)
}

// cleanText trims a value and folds its runs of spaces and control
// characters into single spaces.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "")
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
}

func plausibleID(s string) bool {
	if len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// clip shortens a value quoted back in a message.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	return string([]rune(s)[:40]) + "…"
}

// Apply returns the extracted record with the corrections applied in order:
// the last correction of a field wins. A corrected start date also sets the
// year unless the year was corrected too, since the year is the trip's. A
// corrected destination without a country takes it from the extracted
// destination of the same city, or from countryOf when given.
func Apply(extracted *mission.Mission, cs []store.Correction, countryOf func(city string) string) *mission.Mission {
	m := *extracted
	yearSet := false
	for _, c := range cs {
		switch c.Field {
		case "title":
			m.Title = nil
			json.Unmarshal(c.Value, &m.Title)
		case "start_date":
			m.StartDate = nil
			json.Unmarshal(c.Value, &m.StartDate)
		case "end_date":
			m.EndDate = nil
			json.Unmarshal(c.Value, &m.EndDate)
		case "year":
			m.Year = nil
			json.Unmarshal(c.Value, &m.Year)
			yearSet = true
		case "destinations":
			var ds []mission.Destination
			json.Unmarshal(c.Value, &ds)
			for i := range ds {
				if ds[i].Country == "" {
					ds[i].Country = countryFor(ds[i].City, extracted.Destinations, countryOf)
				}
			}
			m.Destinations = ds
		case "themes":
			var ts []string
			json.Unmarshal(c.Value, &ts)
			m.Themes = ts
		}
	}
	if !yearSet && m.StartDate != nil && m.StartDate != extracted.StartDate && len(*m.StartDate) >= 4 {
		if y, err := strconv.Atoi((*m.StartDate)[:4]); err == nil {
			m.Year = &y
		}
	}
	// Outcomes keep only themes the mission still has.
	if !slices.Equal(m.Themes, extracted.Themes) && len(m.Outcomes) > 0 {
		outs := make([]mission.Outcome, len(m.Outcomes))
		for i, o := range m.Outcomes {
			o.Themes = slices.DeleteFunc(slices.Clone(o.Themes), func(t string) bool { return !slices.Contains(m.Themes, t) })
			outs[i] = o
		}
		m.Outcomes = outs
	}
	m.Normalize()
	return &m
}

func countryFor(city string, known []mission.Destination, countryOf func(string) string) string {
	if city == "" {
		return ""
	}
	for _, d := range known {
		if strings.EqualFold(unaccent.Lower(d.City), unaccent.Lower(city)) && d.Country != "" {
			return d.Country
		}
	}
	if countryOf != nil {
		return countryOf(city)
	}
	return ""
}
