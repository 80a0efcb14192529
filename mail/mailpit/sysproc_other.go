//go:build !linux

package mailpit

import "syscall"

// sysProcAttr has no parent-death signal outside Linux; the mock then ends
// with its process group when the test run ends.
func sysProcAttr() *syscall.SysProcAttr { return nil }
