package i18n

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/go-playground/locales/en"
	"github.com/go-playground/locales/vi"
	ut "github.com/go-playground/universal-translator"
	"github.com/go-playground/validator/v10"
	en_translations "github.com/go-playground/validator/v10/translations/en"
	vi_translations "github.com/go-playground/validator/v10/translations/vi"
)

// Validator checks form structs with go-playground/validator and words its
// errors with validator's own Vietnamese and English translations.
//
// Fields are named by their `form` tag; the field's label in the message is
// the message ID in its `label` tag, translated.
type Validator struct {
	v     *validator.Validate
	trans map[Lang]ut.Translator
}

func newValidator() (*Validator, error) {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		if name, _, _ := strings.Cut(f.Tag.Get("form"), ","); name != "" && name != "-" {
			return name
		}
		return f.Name
	})
	uni := ut.New(vi.New(), vi.New(), en.New())
	tv, _ := uni.GetTranslator("vi")
	te, _ := uni.GetTranslator("en")
	if err := vi_translations.RegisterDefaultTranslations(v, tv); err != nil {
		return nil, fmt.Errorf("i18n: validator vi: %w", err)
	}
	if err := en_translations.RegisterDefaultTranslations(v, te); err != nil {
		return nil, fmt.Errorf("i18n: validator en: %w", err)
	}
	return &Validator{v: v, trans: map[Lang]ut.Translator{VI: tv, EN: te}}, nil
}

// FieldError is one field's problem, worded for the reader.
type FieldError struct {
	Field   string // the form field name, for the link from the error summary
	Message string
}

// Validate checks s (a pointer to a struct with validate tags) and returns
// its problems in field order, worded in l's language; none means valid.
func (l *Localizer) Validate(s any) []FieldError {
	err := l.bundle.validator.v.Struct(s)
	if err == nil {
		return nil
	}
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		return []FieldError{{Message: l.T("error.form.invalid")}}
	}
	labels := labelsOf(s)
	trans := l.bundle.validator.trans[l.Lang]
	out := make([]FieldError, 0, len(ves))
	for _, fe := range ves {
		msg := fe.Translate(trans)
		if id, ok := labels[fe.StructField()]; ok {
			msg = strings.Replace(msg, fe.Field(), l.T(id), 1)
		}
		out = append(out, FieldError{Field: fe.Field(), Message: msg})
	}
	return out
}

// labelsOf maps struct field names to the message IDs in their label tags.
func labelsOf(s any) map[string]string {
	t := reflect.TypeOf(s)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	m := map[string]string{}
	if t.Kind() != reflect.Struct {
		return m
	}
	for i := range t.NumField() {
		if id := t.Field(i).Tag.Get("label"); id != "" {
			m[t.Field(i).Name] = id
		}
	}
	return m
}
