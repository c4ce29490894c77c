package synth

import (
	"fmt"
	"strings"

	"escale/internal/mission"
	"escale/internal/score"
)

// builder writes one report's blocks and truth from its plan.
type builder struct {
	g      *Generator
	r      *rng
	p      *missionPlan
	format string // FormatPDF, FormatText or FormatMarkdown
	st     style
	d      doc
	truth  score.Truth

	mentioned   map[string]bool // organisations already named in full
	orgs        []string        // organisations named, in order
	used        map[string]bool // sentences already written, to avoid repeats
	truthThemes map[string]bool // themes an objective or outcome is about

	pdf                             pdfStyle
	producer                        string
	titleYear, headerYear, nameYear bool // where the trip's year shows
}

// themeOf returns the theme data of the plan's k-th theme, cycling.
func (b *builder) themeOf(k int) *theme { return &themes[b.p.themes[k%len(b.p.themes)]] }

func (b *builder) homeFill(s string) string {
	return strings.ReplaceAll(s, "{home}", b.p.home)
}

// city picks the destination a sentence is about.
func (b *builder) city() place {
	if len(b.p.dests) > 1 && b.r.chance(0.35) {
		return pick(b.r, b.p.dests[1:])
	}
	return b.p.dests[0]
}

// orgRef names an organisation: in full with its acronym the first time, by
// acronym or in full afterwards; it is recorded for the truth.
func (b *builder) orgRef(o org) string {
	name := contract(" " + o.name)[1:] // « Ville du Caire »
	first := !b.mentioned[name]
	b.mentioned[name] = true
	if first {
		b.orgs = append(b.orgs, name)
		if o.acr != "" {
			return o.art + name + " (" + o.acr + ")"
		}
		return o.art + name
	}
	if o.acr != "" && b.r.chance(0.7) {
		return o.art + o.acr
	}
	return o.art + name
}

// pickOrg draws an organisation of the theme or the destination's city hall.
func (b *builder) pickOrg(t *theme, c place) org {
	if b.r.chance(0.25) {
		return org{"la ", "Ville de " + c.City.Name, ""}
	}
	o := pick(b.r, t.orgs)
	o.name = strings.ReplaceAll(b.homeFill(o.name), "{city}", c.City.Name)
	return o
}

// sentence fills a template for theme t and topic, choosing each slot's value
// once per sentence.
func (b *builder) sentence(tmpl string, t *theme, topic string) string {
	c := b.city()
	var o *org
	var oText, site, service string
	orgText := func() string {
		if o == nil {
			x := b.pickOrg(t, c)
			o = &x
			oText = b.orgRef(x)
		}
		return oText
	}
	siteText := func() string {
		if site == "" {
			site = pick(b.r, t.sites)
		}
		return site
	}
	serviceText := func() string {
		if service == "" {
			service = b.homeFill(pick(b.r, t.service))
		}
		return service
	}
	year := b.p.end.Year()
	var value func(string) string
	value = func(key string) string {
		switch key {
		case "topic":
			return topic
		case "de_topic":
			return de(topic)
		case "a_topic":
			return a(topic)
		case "mat_topic":
			return enMatiere(topic)
		case "org":
			return orgText()
		case "de_org":
			return de(orgText())
		case "a_org":
			return a(orgText())
		case "org_cap":
			return upperFirst(orgText())
		case "city":
			return c.City.Name
		case "home":
			return b.p.home
		case "service":
			return serviceText()
		case "service_cap":
			return upperFirst(serviceText())
		case "a_service":
			return a(serviceText())
		case "site":
			return siteText()
		case "de_site":
			return de(siteText())
		case "event":
			return b.homeFill(pick(b.r, t.events))
		case "a_event":
			return a(b.homeFill(pick(b.r, t.events)))
		case "n":
			return pick(b.r, []string{"trois", "quatre", "cinq", "six", "sept", "huit", "neuf"})
		case "n0":
			return fmt.Sprint(b.r.between(4, 30) * 10)
		case "when":
			m := b.p.end.AddDate(0, b.r.between(2, 10), 0)
			return months[m.Month()-1] + " " + fmt.Sprint(m.Year())
		case "year2":
			return fmt.Sprint(year + b.r.between(1, 3))
		case "pop":
			return thousands(roundPop(c.City.Population))
		case "country":
			return c.Country
		case "prev":
			return months[b.r.IntN(12)] + " " + fmt.Sprint(year-b.r.between(2, 8))
		}
		panic("synth: template key {" + key + "} has no value in " + tmpl)
	}
	return contract(fill(tmpl, value))
}

func roundPop(n int) int {
	switch {
	case n >= 1000000:
		return n / 100000 * 100000
	case n >= 100000:
		return n / 10000 * 10000
	}
	return n / 1000 * 1000
}

// fresh returns a sentence from templates not used yet in this report, when
// it can find one: a template without a topic is used once, one with a topic
// once per topic.
func (b *builder) fresh(tmpls []string, t *theme, topic string) string {
	s, _ := b.freshOK(tmpls, t, topic)
	return s
}

// freshOK is fresh that also tells whether the sentence is new; when it is
// not, the caller may leave it out.
func (b *builder) freshOK(tmpls []string, t *theme, topic string) (string, bool) {
	var tmpl, key string
	ok := false
	for range 8 {
		tmpl = pick(b.r, tmpls)
		key = tmpl
		if strings.Contains(tmpl, "topic}") {
			key += "|" + topic
		}
		if !b.used[key] {
			ok = true
			break
		}
	}
	b.used[key] = true
	return b.sentence(tmpl, t, topic), ok
}

func (b *builder) topicOf(t *theme) string {
	topic, _ := b.pickTopic(t)
	return topic
}

// pickTopic draws a topic of theme t and the other themes it is also about.
func (b *builder) pickTopic(t *theme) (string, []string) {
	parts := strings.Split(b.homeFill(pick(b.r, t.topics)), "|")
	return parts[0], parts[1:]
}

// about records the themes an objective or outcome is about.
func (b *builder) about(t *theme, also []string) {
	b.truthThemes[t.id] = true
	for _, id := range also {
		b.truthThemes[id] = true
	}
}

func (b *builder) add(bl block) {
	bl.text, bl.lead = contract(bl.text), contract(bl.lead)
	b.d.blocks = append(b.d.blocks, bl)
}

func (b *builder) heading(section string) {
	h := b.homeFill(pick(b.r, headings[section]))
	kind := section
	if _, ok := headings[section]; !ok || section == "conclusion" {
		kind = mission.KindOther
	}
	b.add(block{kind: bHeading, section: kind, text: b.caseOf(h)})
}

// headingCase is how this report writes its headings: 0 as is, 1 upper case.
func (b *builder) caseOf(s string) string {
	if b.st.upperHeadings {
		return strings.ToUpper(s)
	}
	return s
}
