package server

import (
	"errors"
	"io"
	"net/http"
	"net/url"

	"digiportal/i18n"
	"digiportal/indicators"
)

// uploadForm is a multipart form read in one pass: its text fields, and
// the one file it carries held once in memory.
type uploadForm struct {
	values url.Values
	name   string // the file's name as the browser sent it
	data   []byte // what the file holds; empty when none was chosen
}

const (
	maxUploadParts      = 32      // the import forms have five
	maxUploadFieldBytes = 4 << 10 // one text field of such a form
)

// readUpload reads a multipart form whose file is the part named field.
// r.FormFile parses the form with ParseMultipartForm, which buffers up to
// 32 MB of the file (the rest in a temporary file) for the handler to copy
// once more; here the file goes straight into one slice of the request's
// length, so an upload costs its own size once. limitBody has bounded the
// body already: a body past it is a *http.MaxBytesError (413), a form no
// browser sends is errBadRequest, text with control characters (in a field
// or the file's name) is errUnusableText as checkInput refuses it elsewhere, and a request that is not a multipart
// form has no file.
func readUpload(r *http.Request, field string) (*uploadForm, error) {
	f := &uploadForm{values: url.Values{}}
	mr, err := r.MultipartReader()
	if err != nil {
		return f, nil
	}
	for parts := 0; ; parts++ {
		p, err := mr.NextPart()
		if err == io.EOF {
			return f, nil
		}
		if err != nil {
			return nil, uploadError(err)
		}
		if parts == maxUploadParts {
			return nil, errBadRequest
		}
		if !i18n.Typeable(p.FormName()) || !i18n.Typeable(p.FileName()) {
			return nil, errUnusableText
		}
		if p.FormName() == field && p.FileName() != "" {
			if f.data != nil {
				return nil, errBadRequest
			}
			if len(p.FileName()) > maxUploadFieldBytes {
				return nil, errBadRequest
			}
			if !usablePath(p.FileName()) {
				return nil, errUnusableText
			}
			data, err := readPart(p, r.ContentLength)
			if err != nil {
				return nil, uploadError(err)
			}
			f.name, f.data = p.FileName(), data
			continue
		}
		v, err := io.ReadAll(io.LimitReader(p, maxUploadFieldBytes+1))
		if err != nil {
			return nil, uploadError(err)
		}
		if len(v) > maxUploadFieldBytes {
			return nil, errBadRequest
		}
		if !i18n.Typeable(string(v)) {
			return nil, errUnusableText
		}
		f.values.Add(p.FormName(), string(v))
	}
}

// readPart reads a file part into one slice. The part lies inside the
// request, so a slice of the request's declared length holds it without a
// copy; limitBody has bounded that length, and only a signed-in official
// reaches an import. Without a declared length the slice doubles as the
// part arrives.
func readPart(p io.Reader, declared int64) ([]byte, error) {
	size := int64(64 << 10)
	if declared > 0 {
		size = declared
	}
	data := make([]byte, 0, size)
	for {
		if len(data) == cap(data) {
			grown := make([]byte, len(data), 2*cap(data))
			copy(grown, data)
			data = grown
		}
		n, err := p.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// uploadError keeps a body past the limit as it is, for its 413 page, and
// makes anything else wrong with the form a 400.
func uploadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err
	}
	return errBadRequest
}

// missingFile words what is wrong with the form's file before it is read:
// none chosen, or one with nothing in it; "" when there is a file.
func (f *uploadForm) missingFile(l *i18n.Localizer) string {
	switch {
	case f.name == "":
		return l.T("indicators.import.error.nofile")
	case len(f.data) == 0:
		return l.T("indicators.import.error.empty_file", "Name", f.name)
	}
	return ""
}

// importFileError words why an uploaded file cannot be imported at all: a
// bound it goes past, or cells holding control characters, and what to do;
// or that it is not a table.
func importFileError(l *i18n.Localizer, err error) string {
	var tle *indicators.TableLimitError
	if errors.As(err, &tle) {
		return l.T(tle.MsgID(), "Limit", l.Int(int64(tle.Limit)), "Row", l.Int(int64(tle.Row)))
	}
	var te *indicators.TextError
	if errors.As(err, &te) {
		return l.N(te.MsgID(), te.Count, "Cell", te.Cell)
	}
	return l.T("indicators.import.error.unreadable")
}
