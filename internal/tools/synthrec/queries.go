package synthrec

// Query is one benchmark search, as the HTTP API takes it: words, facet
// filters (facet name -> values, OR within a facet, AND across) and an
// optional first year.
type Query struct {
	Text     string
	Filters  map[string][]string
	YearFrom int
}

// Class is a kind of search the benchmarks time apart; every search asks for
// every facet, as the search page does.
type Class struct {
	Name    string
	Queries []Query
}

// Classes are the four kinds of searches over the synthetic archive:
// one word, several words, words with facets selected (each selected facet
// costs a count of its own, for multi-select), and a word nearly every
// report holds (« ville »), which makes every mission a hit to score and to
// count.
var Classes = []Class{
	{Name: "one-word", Queries: []Query{
		{Text: "patrimoine"}, {Text: "croisières"}, {Text: "innovation"}, {Text: "jumelage"}, {Text: "climat"},
	}},
	{Name: "multi-word", Queries: []Query{
		{Text: "gestion des eaux pluviales"}, {Text: "accueil des navires de croisière"},
		{Text: "médiation culturelle jeunes publics"}, {Text: "transport collectif électrique"},
		{Text: "coopération portuaire et économie bleue"},
	}},
	{Name: "filtered", Queries: []Query{
		{Text: "patrimoine", Filters: map[string][]string{"country": {"France"}}},
		{Text: "port", Filters: map[string][]string{"theme": {"ville-port"}}, YearFrom: 2010},
		{Text: "innovation", Filters: map[string][]string{"country": {"France", "Belgique"}, "theme": {"economie-innovation"}}},
		{Text: "tourisme croisière", Filters: map[string][]string{"section": {"outcomes"}}},
		{Text: "coopération", Filters: map[string][]string{"year": {"2019", "2020", "2021"}}},
	}},
	{Name: "wide", Queries: []Query{
		{Text: "ville"},
	}},
}
