package geo

import (
	"fmt"
	"strings"
)

// A Term is a word of one of the data's fixed vocabularies: Weapon, Status,
// Precision, SourceKind, BaseKind.
type Term interface {
	comparable
	String() string
}

// ParseTerm returns the term of vocabulary whose word is s.
func ParseTerm[T Term](vocabulary []T, s string) (T, bool) {
	for _, t := range vocabulary {
		if t.String() == s {
			return t, true
		}
	}
	var zero T
	return zero, false
}

// term is ParseTerm's term, or the zero value (in no vocabulary).
func term[T Term](vocabulary []T, s string) T {
	t, _ := ParseTerm(vocabulary, s)
	return t
}

// Words returns the words of a vocabulary.
func Words[T Term](vocabulary []T) []string {
	out := make([]string, len(vocabulary))
	for i, t := range vocabulary {
		out[i] = t.String()
	}
	return out
}

// oneOf formats a vocabulary for an error message: "drone, rocket, missile, unknown".
func oneOf[T Term](vocabulary []T) string { return strings.Join(Words(vocabulary), ", ") }

func word[T ~uint8](words []string, t T) string {
	if int(t) < len(words) {
		return words[t]
	}
	return fmt.Sprintf("%d", t)
}

func unmarshalTerm[T Term](dst *T, vocabulary []T, b []byte) error {
	t, ok := ParseTerm(vocabulary, string(b))
	if !ok {
		return fmt.Errorf("%q is not one of %s", b, oneOf(vocabulary))
	}
	*dst = t
	return nil
}
