// Package codes makes and reads the codes people copy by hand and type
// back: the lessons' resume and certificate codes and the self-assessment's
// resume codes. They share one alphabet, one check character and one way of
// being written, so a person meets one kind of code on the whole portal.
//
// It lives under content, which made it, because the top level of the
// repository is fixed (DESIGN.md §4). It imports nothing of the portal;
// content and assessments import it.
package codes
