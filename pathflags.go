package main

import "github.com/urfave/cli/v2"

// Flags that name a file or folder refuse an empty value. Without this,
// --export "" (or a shell variable that is not set) was opened as a file
// named "" and refused with a sentence naming nothing (": no such file or
// folder"), and --dashboard "" or --workspace "" was taken, in silence, as
// the flag not given.

// pathFlag makes f, a flag of one file or folder, refuse an empty value.
func pathFlag(f *cli.StringFlag) *cli.StringFlag {
	f.Action = func(_ *cli.Context, path string) error {
		return refuseEmptyPath([]string{path}, "--%s is given an empty path", f.Name)
	}
	return f
}

// pathsFlag makes f, a repeatable flag of files or folders, refuse an empty
// value.
func pathsFlag(f *cli.StringSliceFlag) *cli.StringSliceFlag {
	f.Action = func(_ *cli.Context, paths []string) error {
		return refuseEmptyPath(paths, "--%s is given an empty path", f.Name)
	}
	return f
}

// refuseEmptyPath is a usage error, the sentence format says, when one of
// paths is empty, or nil.
func refuseEmptyPath(paths []string, format string, args ...any) error {
	for _, p := range paths {
		if p == "" {
			return usagef(format, args...)
		}
	}
	return nil
}
