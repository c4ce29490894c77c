package mission

import (
	"errors"
	"fmt"
)

// Refusal is why Escale will not read a file: a stable lowercase code for
// programs and a French message that tells people what to do next. Lower
// layers wrap these sentinels with context (fmt.Errorf("pdf: %w", ErrDamaged));
// the command line and the HTTP layer show Code and Message, never the wrapped
// detail.
type Refusal struct {
	Code    string
	Message string
}

func (r *Refusal) Error() string { return r.Code + ": " + r.Message }

// The refusals. Their codes are part of the contract.
var (
	ErrEmpty = &Refusal{"empty",
		"Le fichier est vide. Vérifiez qu’il a été enregistré complètement, puis envoyez-le de nouveau."}
	ErrUnsupported = &Refusal{"unsupported",
		"Ce type de fichier n’est pas pris en charge. Envoyez le rapport en PDF, en texte (.txt) ou en Markdown (.md)."}
	ErrEncrypted = &Refusal{"encrypted",
		"Ce PDF est protégé par un mot de passe. Retirez la protection puis envoyez-le de nouveau."}
	ErrDamaged = &Refusal{"damaged",
		"Ce PDF est endommagé et ne peut pas être lu. Exportez-le de nouveau depuis le document d’origine, puis envoyez-le."}
	ErrNoText = &Refusal{"no_text",
		"Ce PDF ne contient pas de texte lisible (probablement un document numérisé). Activez la reconnaissance de caractères (OCR) ou envoyez une version texte du rapport."}
	ErrTooLarge = &Refusal{"too_large",
		"Le fichier dépasse la taille permise. Réduisez-le (par exemple en retirant les images) ou augmentez la limite de taille."}
	ErrTooManyPages = &Refusal{"too_many_pages",
		"Le document compte trop de pages. Séparez-le en plusieurs fichiers ou augmentez la limite de pages."}
	ErrTimeout = &Refusal{"timeout",
		"La lecture du fichier a pris trop de temps et a été interrompue. Exportez-le de nouveau en PDF simple, ou augmentez la limite de temps d’extraction."}
	ErrTooMuchMemory = &Refusal{"too_much_memory",
		"La lecture du fichier demandait trop de mémoire et a été interrompue. Exportez-le de nouveau en PDF simple, ou augmentez la limite de mémoire d’extraction."}
)

// Refusals lists every refusal, so that a code read back (from a child process,
// from the catalog) finds its sentinel again.
var Refusals = []*Refusal{ErrEmpty, ErrUnsupported, ErrEncrypted, ErrDamaged, ErrNoText,
	ErrTooLarge, ErrTooManyPages, ErrTimeout, ErrTooMuchMemory}

// RefusalOf returns the refusal that err wraps, if any.
func RefusalOf(err error) (*Refusal, bool) {
	var r *Refusal
	if errors.As(err, &r) {
		return r, true
	}
	return nil, false
}

// RefusalByCode returns the refusal with that code.
func RefusalByCode(code string) (*Refusal, bool) {
	for _, r := range Refusals {
		if r.Code == code {
			return r, true
		}
	}
	return nil, false
}

// Refuse wraps a refusal with detail for logs: the detail never reaches users.
func Refuse(r *Refusal, format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), r)
}
