// Package mission defines the mission record that Escale extracts from a report,
// stores, indexes and serves (see the contract in the repository's docs), and the
// refusals every layer reports the same way.
package mission

// Section kinds, as the contract names them.
const (
	KindObjectives = "objectives"
	KindOutcomes   = "outcomes"
	KindContext    = "context"
	KindProgram    = "program"
	KindDelegation = "delegation"
	KindFollowup   = "followup"
	KindCosts      = "costs"
	KindOther      = "other"
)

// Kinds lists every section kind in a stable order.
var Kinds = []string{KindObjectives, KindOutcomes, KindContext, KindProgram, KindDelegation, KindFollowup, KindCosts, KindOther}

// Source formats, decided from the content of the file.
const (
	FormatPDF      = "pdf"
	FormatText     = "text"
	FormatMarkdown = "markdown"
)

// Mission is one report as Escale understands it. The JSON field names are the
// contract: do not rename or drop them.
type Mission struct {
	MissionID     string        `json:"mission_id,omitempty"`
	Filename      string        `json:"filename"`
	Title         *string       `json:"title"`
	Destinations  []Destination `json:"destinations"`
	StartDate     *string       `json:"start_date"` // YYYY-MM-DD
	EndDate       *string       `json:"end_date"`   // YYYY-MM-DD
	Year          *int          `json:"year"`
	Organizations []string      `json:"organizations"`
	Themes        []string      `json:"themes"`
	Objectives    []Objective   `json:"objectives"`
	Outcomes      []Outcome     `json:"outcomes"`
	Sections      []Section     `json:"sections"`
	Text          string        `json:"text"`
	Pages         int           `json:"pages"`
	Warnings      []string      `json:"warnings"`

	// Fields beyond the contract.
	Format      string    `json:"format,omitempty"`       // pdf, text or markdown
	SHA256      string    `json:"sha256,omitempty"`       // of the original bytes
	Size        int64     `json:"size,omitempty"`         // of the original bytes
	DuplicateOf string    `json:"duplicate_of,omitempty"` // mission_id of a probable twin
	OCR         []OCRPage `json:"ocr_pages,omitempty"`    // pages read by OCR
}

// Destination is a place the delegation went, in French.
type Destination struct {
	City    string `json:"city"`
	Country string `json:"country"`
}

// Objective is one stated objective of the mission.
type Objective struct {
	Text string `json:"text"`
	Page int    `json:"page"`
}

// Outcome is one "retombée" of the mission.
type Outcome struct {
	Category *string  `json:"category"` // the category heading it sits under
	Title    *string  `json:"title"`    // its lead phrase, when it has one
	Text     string   `json:"text"`     // its text without the title
	Page     int      `json:"page"`
	Themes   []string `json:"themes"`
}

// Section is one headed part of the report.
type Section struct {
	Heading string `json:"heading"`
	Kind    string `json:"kind"`
	Text    string `json:"text"`
	Page    int    `json:"page"`
}

// OCRPage says that a page's text was recognised from its image.
type OCRPage struct {
	Page       int     `json:"page"`
	Confidence float64 `json:"confidence"` // mean word confidence, 0 to 100
}

// Normalize replaces nil lists by empty ones so that the JSON record always has
// arrays where the contract promises lists.
func (m *Mission) Normalize() {
	if m.Destinations == nil {
		m.Destinations = []Destination{}
	}
	if m.Organizations == nil {
		m.Organizations = []string{}
	}
	if m.Themes == nil {
		m.Themes = []string{}
	}
	if m.Objectives == nil {
		m.Objectives = []Objective{}
	}
	if m.Outcomes == nil {
		m.Outcomes = []Outcome{}
	}
	for i := range m.Outcomes {
		if m.Outcomes[i].Themes == nil {
			m.Outcomes[i].Themes = []string{}
		}
	}
	if m.Sections == nil {
		m.Sections = []Section{}
	}
	if m.Warnings == nil {
		m.Warnings = []string{}
	}
}

// Ptr returns a pointer to v, for the record's optional fields.
func Ptr[T any](v T) *T { return &v }
