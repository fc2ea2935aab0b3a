//go:build !unix

package main

import "os"

// terminalWidth cannot ask the terminal here: COLUMNS or 80 apply.
func terminalWidth(*os.File) int { return 0 }
