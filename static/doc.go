// Package static embeds the portal's stylesheets, scripts and images and
// serves them under content-hash URLs (app.3f2a9c1b.css) with long cache
// lifetimes: a changed file gets a new URL, so nothing stale is ever served.
//
// It imports nothing of the portal.
package static
