package mailpit

import "syscall"

// sysProcAttr kills Mailpit if the test binary dies before its cleanup.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
