package content

import (
	"embed"
	"io/fs"
)

// files is the portal's own content, built into the binary.
//
//go:embed catalog.toml lessons
var files embed.FS

// Embedded returns the content tree built into the binary.
func Embedded() fs.FS { return files }

// LoadEmbedded loads and validates the built-in content. The server calls
// it at start-up, so content that breaks a rule stops the start.
func LoadEmbedded() (*Library, error) { return Load(files) }
