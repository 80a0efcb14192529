package i18n

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"
)

// Validator checks form structs with go-playground/validator. It registers
// none of the library's stock translations: every problem is worded by a
// message of the portal's own message files, so a reader never meets a
// library's phrasing, a field's Go name or the list of values a field may
// take.
//
// Struct tags say how a field reads:
//
//   - form:"name" names the field, for the error summary's link to it;
//     form:"name,choice" marks a field answered by choosing (a list or
//     radio buttons), whose generic messages say "Chọn …" / "Choose …"
//     rather than "Nhập …" / "Enter …".
//   - label:"message.id" is the field's label, which generic messages name.
//   - msg:"required=id,email=id" gives, per validation tag, the message
//     that words the field's problem; tags that share a message are joined
//     by "|" (msg:"required|oneof=id"). A tag without one falls back to the
//     generic message of the tag (validate.<tag> in common.<lang>.toml),
//     which names the label. Messages see {{.Label}} and {{.Param}}, the
//     tag's parameter (a length, a bound, or for a date an example day).
type Validator struct {
	v *validator.Validate
}

func newValidator() *Validator {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		if name, _, _ := strings.Cut(f.Tag.Get("form"), ","); name != "" && name != "-" {
			return name
		}
		return f.Name
	})
	return &Validator{v: v}
}

// FieldError is one field's problem, worded for the reader.
type FieldError struct {
	Field   string // the form field name, for the link from the error summary
	Message string
}

// HasErrorFor reports whether errs already hold a problem with field, so
// that a check after validation adds no second message for a field that
// has one: each field shows one problem, the first to fix.
func HasErrorFor(errs []FieldError, field string) bool {
	for _, e := range errs {
		if e.Field == field {
			return true
		}
	}
	return false
}

// InFieldOrder sorts errs as the form shows its fields, given in order, so
// that problems found after validation (against a list, in the database)
// take their field's place in the error summary; a problem with no listed
// field keeps its place after them.
func InFieldOrder(errs []FieldError, order ...string) []FieldError {
	pos := func(e FieldError) int {
		if i := slices.Index(order, e.Field); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortStableFunc(errs, func(a, b FieldError) int { return pos(a) - pos(b) })
	return errs
}

// Validate checks s (a pointer to a struct with validate tags) and returns
// its problems in field order, one per field, worded in l's language; none
// means valid.
func (l *Localizer) Validate(s any) []FieldError {
	err := l.bundle.validator.v.Struct(s)
	if err == nil {
		return nil
	}
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		return []FieldError{{Message: l.T("error.form.invalid")}}
	}
	fields := fieldsOf(s)
	out := make([]FieldError, 0, len(ves))
	for _, fe := range ves {
		out = append(out, FieldError{Field: fe.Field(), Message: l.fieldMessage(fe, fields[fe.StructField()])})
	}
	return out
}

// fieldTags is what a struct field's tags say about its messages.
type fieldTags struct {
	label  string            // message ID of the label
	choice bool              // answered by choosing
	msgs   map[string]string // validation tag → message ID
}

// fieldsOf reads the tags of s's fields, by struct field name.
func fieldsOf(s any) map[string]fieldTags {
	t := reflect.TypeOf(s)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	m := map[string]fieldTags{}
	if t.Kind() != reflect.Struct {
		return m
	}
	for i := range t.NumField() {
		f := t.Field(i)
		_, opts, _ := strings.Cut(f.Tag.Get("form"), ",")
		ft := fieldTags{label: f.Tag.Get("label"), choice: opts == "choice", msgs: ParseMsgTag(f.Tag.Get("msg"))}
		m[f.Name] = ft
	}
	return m
}

// ParseMsgTag reads a msg struct tag ("required|oneof=id,max=id2") into
// validation tag → message ID. Tests use it to check that every form's
// messages exist.
func ParseMsgTag(tag string) map[string]string {
	out := map[string]string{}
	for _, pair := range strings.Split(tag, ",") {
		tags, id, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if !ok || id == "" || tags == "" {
			continue
		}
		for _, t := range strings.Split(tags, "|") {
			out[strings.TrimSpace(t)] = id
		}
	}
	return out
}

// fieldMessage words one failed validation: the field's own message for
// the tag when it names one, else the tag's generic message.
func (l *Localizer) fieldMessage(fe validator.FieldError, ft fieldTags) string {
	label := l.T("validate.field") // never the field's name, which is internal
	if ft.label != "" {
		label = l.T(ft.label)
	}
	// A limit stays as written: the same digits serve a length (254) and a
	// year (2030), which a thousands separator would spoil.
	param := fe.Param()
	if fe.Tag() == "datetime" {
		// The layout means nothing to a reader; a day written in it does.
		param = time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC).Format(fe.Param())
	}
	if id, ok := ft.msgs[fe.Tag()]; ok {
		return l.T(id, "Label", label, "Param", param)
	}
	return l.T(genericID(fe.Tag(), fe.Kind(), ft.choice), "Label", lowerFirst(label), "Param", param)
}

// genericID names the generic message of a validation tag. Length tags on
// text count characters; on numbers they bound the value.
func genericID(tag string, kind reflect.Kind, choice bool) string {
	number := kind >= reflect.Int && kind <= reflect.Float64
	switch tag {
	case "required":
		if choice {
			return "validate.choose"
		}
		return "validate.required"
	case "oneof":
		return "validate.choose"
	case "email", "number", "numeric", "datetime":
		return "validate." + tag
	case "min", "max", "len":
		if number {
			return "validate." + tag + ".number"
		}
		return "validate." + tag
	case "gt", "gte", "lt", "lte":
		return "validate." + tag
	}
	if choice {
		return "validate.choose"
	}
	return "validate.invalid"
}

// lowerFirst lowercases the first letter of a label for use inside a
// sentence ("Địa chỉ email" → "địa chỉ email"), unless the first word is
// an abbreviation written in capitals ("VNeID").
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || !unicode.IsUpper(r) {
		return s
	}
	if next, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(next) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}
