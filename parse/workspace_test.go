package parse

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// twoPlaces finds a second location in a message ("…:3: office_hours:
// line 4: …").
var twoPlaces = regexp.MustCompile(`\bline \d+:`)

func TestReadWorkspace(t *testing.T) {
	tests := []struct {
		name     string
		yaml     string
		zone     string
		schedule string // Schedule.String(), "" for none
		appID    string
		bots     string
		err      string // the message after "workspace.yaml"
	}{
		{
			name:     "spec string",
			yaml:     "timezone: America/Vancouver\noffice_hours: \"Mon-Fri 09:00-17:00; Sat 10:00-14:00\"\napp_id: abcd1234\nbots: [\"274\", \"4423434\"]\n",
			zone:     "America/Vancouver",
			schedule: "Mon-Fri 09:00-17:00; Sat 10:00-14:00 in America/Vancouver",
			appID:    "abcd1234",
			bots:     "274,4423434",
		},
		{
			name:     "24/7",
			yaml:     "timezone: UTC\noffice_hours: 24/7\n",
			zone:     "UTC",
			schedule: "24/7 in UTC",
		},
		{
			name: "mapping form",
			yaml: "timezone: Europe/London\noffice_hours:\n  monday: [\"09:00-12:00\", \"13:00-17:00\"]\n  tuesday: \"09:00-17:00\"\n" +
				"  Wed: 09:00-17:00\n  thursday: [\"09:00-17:00\"]\n  friday: 09:00-15:00\n",
			zone:     "Europe/London",
			schedule: "Mon 09:00-12:00, 13:00-17:00; Tue-Thu 09:00-17:00; Fri 09:00-15:00 in Europe/London",
		},
		{
			name:     "weekdays and weekends keys",
			yaml:     "timezone: America/New_York\noffice_hours:\n  weekdays: [\"08:00-18:00\"]\n  weekends: \"10:00-14:00\"\n",
			zone:     "America/New_York",
			schedule: "Mon-Fri 08:00-18:00; Sat-Sun 10:00-14:00 in America/New_York",
		},
		{
			name:     "daily",
			yaml:     "timezone: UTC\noffice_hours:\n  daily: 06:00-22:00\n",
			zone:     "UTC",
			schedule: "daily 06:00-22:00 in UTC",
		},
		{
			name:     "closed days in the mapping",
			yaml:     "timezone: UTC\noffice_hours:\n  monday: 09:00-17:00\n  saturday: closed\n  sunday: \"\"\n",
			zone:     "UTC",
			schedule: "Mon 09:00-17:00 in UTC",
		},
		{
			// Weekdays 9-5, but Friday is closed: the more specific key says so.
			name:     "a weekday closed after weekdays",
			yaml:     "timezone: UTC\noffice_hours:\n  weekdays: [\"09:00-17:00\"]\n  friday: closed\n",
			zone:     "UTC",
			schedule: "Mon-Thu 09:00-17:00 in UTC",
		},
		{
			name:     "exceptions",
			yaml:     "timezone: UTC\noffice_hours: Mon-Fri 09:00-17:00\nexceptions:\n  - 2025-12-25\n  - \" 2025-12-26 \"\n",
			zone:     "UTC",
			schedule: "Mon-Fri 09:00-17:00 in UTC, 2 days closed",
		},
		{
			name: "no office hours",
			yaml: "# workspace settings\ntimezone: Australia/Sydney\n",
			zone: "Australia/Sydney",
		},
		{
			// A misspelt key would otherwise mean "no office hours".
			name: "unknown key",
			yaml: "timezone: UTC\noffice_hour: Mon-Fri 09:00-17:00\n",
			err:  `:2: "office_hour" is not a setting icrecon knows; the settings are timezone, app_id, office_hours, exceptions and bots`,
		},
		{
			name: "bad zone",
			yaml: "timezone: Mars/Olympus\n",
			err:  `timezone "Mars/Olympus" is not a time zone name like America/Vancouver`,
		},
		{
			name: "Local is not a zone",
			yaml: "timezone: Local\n",
			err:  `timezone "Local" is not a time zone name like America/Vancouver`,
		},
		{
			name: "timezone missing",
			yaml: "office_hours: 24/7\n",
			err:  "timezone is missing; add a line like timezone: America/Vancouver",
		},
		{
			name: "interval ends before it starts",
			yaml: "timezone: UTC\noffice_hours:\n  monday: 17:00-09:00\n",
			err:  `:3: office_hours: monday: "17:00-09:00" ends before it starts; write overnight hours as two ranges`,
		},
		{
			name: "not an interval",
			yaml: "timezone: UTC\noffice_hours: \"Mon-Fri 9 to 5\"\n",
			err:  `:2: office_hours: office hours "Mon-Fri 9 to 5": "9" is not a time range like 09:00-17:00`,
		},
		{
			name: "unknown weekday key",
			yaml: "timezone: UTC\noffice_hours:\n  funday: 09:00-17:00\n",
			err:  `:3: office_hours: "funday" is not a day of the week`,
		},
		{
			// One place, the entry's: it was ":3: office_hours: line 4: …".
			name: "a bad entry after the first",
			yaml: "timezone: Europe/Dublin\noffice_hours:\n  monday: [\"09:00-17:00\", \"12:00-18:00\"]\n  tuesday: [\"09:00-09:00\"]\n",
			err:  `:4: office_hours: tuesday: "09:00-09:00" is empty; a range must end after it starts`,
		},
		{
			// Past 80 characters the list is quoted shortened; the prefix
			// taken off used to be quoted in full, so it stayed.
			name: "a long list with a bad range",
			yaml: "timezone: UTC\noffice_hours:\n  monday: \"06:00-07:00 09:00-10:00 11:00-12:00 13:00-14:00 15:00-16:00 17:00-18:00 19:00-20:00 21:00-9\"\n",
			err:  `:3: office_hours: monday: "21:00-9" is not a time range like 09:00-17:00`,
		},
		{
			name: "a bad range on its own line",
			yaml: "timezone: UTC\noffice_hours:\n  monday:\n    - 09:00-12:00\n    - 13:00-25:00\n",
			err:  `:5: office_hours: monday: "25:00" is not a time of day; use 00:00 to 24:00`,
		},
		{
			name: "ranges as key: value pairs",
			yaml: "timezone: UTC\noffice_hours:\n  weekdays: 09:00-17:00\n  monday:\n    from: 9\n",
			err:  `:5: office_hours: monday: give ranges like ["09:00-17:00"]`,
		},
		{
			name: "office hours as a list",
			yaml: "timezone: UTC\noffice_hours:\n  - Mon-Fri 09:00-17:00\n",
			err:  `:3: office_hours: give either a line like "Mon-Fri 09:00-17:00" or one entry per weekday`,
		},
		{
			name: "exceptions without office hours",
			yaml: "timezone: UTC\nexceptions: [2025-12-25]\n",
			err:  "exceptions are given but office_hours is not; add office_hours (or 24/7)",
		},
		{
			name: "exception that is not a date",
			yaml: "timezone: UTC\noffice_hours: 24/7\nexceptions: [25/12/2025]\n",
			err:  `exceptions: "25/12/2025" is not a date like 2025-12-25`,
		},
		{
			// describeYAMLError drops Go type names an analyst cannot act on.
			name: "bots as a single value",
			yaml: "timezone: UTC\nbots: 274\n",
			err:  `:2: bots should be a list of admin ids like ["274", "4423434"], not a single value ("274")`,
		},
		{
			name: "YAML syntax error",
			yaml: "timezone: UTC\noffice_hours: [\n",
			err:  ":2: the YAML cannot be read here (did not find expected node content)",
		},
		{
			// Someone wrote just the zone. The message must not name Go
			// types or ask for a list.
			name: "not a mapping",
			yaml: "America/Vancouver\n",
			err:  `:1: the settings should be key: value lines, like timezone: America/Vancouver, not a single value ("America/Vancouver")`,
		},
		{
			// The second document was dropped unread.
			name: "two documents",
			yaml: "timezone: UTC\n---\ntimezone: Europe/Dublin\noffice_hours: Mon-Fri 09:00-17:00\n",
			err:  ":2: a second YAML document starts here, but the settings are read from one document only; put them all in the first",
		},
		{
			name: "two documents, each with its ---",
			yaml: "--- \ntimezone: UTC\n--- \ntimezone: Europe/Dublin\n",
			err:  ":3: a second YAML document starts here",
		},
		{
			name: "a second document after ...",
			yaml: "timezone: UTC\n...\n---\nbots: [\"274\"]\n",
			err:  ":3: a second YAML document starts here",
		},
		{
			name: "a second document that is not YAML",
			yaml: "timezone: UTC\n---\n[\n",
			err:  ":3: the YAML cannot be read here",
		},
		{name: "a --- at the top", yaml: "---\ntimezone: UTC\n", zone: "UTC"},
		{name: "an empty document after", yaml: "timezone: UTC\n---\n# nothing here\n", zone: "UTC"},
		{name: "an end marker", yaml: "timezone: UTC\n...\n", zone: "UTC"},
		// A value of the wrong kind is said in words, with its line and key,
		// not as yaml.v3's "cannot unmarshal !!seq into string".
		{
			name: "timezone as a list",
			yaml: "# settings\ntimezone: [America/Vancouver]\n",
			err:  ":2: timezone should be a time zone name like America/Vancouver, not a list",
		},
		{
			name: "timezone as key: value pairs",
			yaml: "timezone:\n  name: UTC\n",
			err:  ":1: timezone should be a time zone name like America/Vancouver, not key: value pairs",
		},
		{
			name: "app_id as a list",
			yaml: "timezone: UTC\napp_id: [abcd1234]\n",
			err:  ":2: app_id should be the workspace's app id, like abcd1234, not a list",
		},
		{
			name: "exceptions as key: value pairs",
			yaml: "timezone: UTC\noffice_hours: 24/7\nexceptions: {christmas: 2025-12-25}\n",
			err:  ":3: exceptions should be a list of closed dates like [2025-12-25, 2025-12-26], not key: value pairs",
		},
		{
			name: "an entry of bots that is not an id",
			yaml: "timezone: UTC\nbots:\n  - \"274\"\n  - {id: 4423434}\n",
			err:  `:4: each entry of bots should be an admin id like "274", not key: value pairs`,
		},
		{
			name: "an exception on its own line",
			yaml: "timezone: UTC\noffice_hours: 24/7\nexceptions:\n  - 2025-12-25\n  - 2025-02-30\n",
			err:  `:5: exceptions: "2025-02-30" is not a date like 2025-12-25`,
		},
		{
			name: "several wrong values: the first is said",
			yaml: "timezone: [1, 2]\noffice_hours: {monday: 5}\nbots: [{a: 1}]\n",
			err:  ":1: timezone should be a time zone name like America/Vancouver, not a list",
		},
		{
			name: "settings as a list",
			yaml: "- timezone: UTC\n",
			err:  ":1: the settings should be key: value lines, like timezone: America/Vancouver, not a list",
		},
		{
			name: "a setting given twice",
			yaml: "timezone: UTC\napp_id: a\ntimezone: Europe/Paris\n",
			err:  ":3: timezone is given twice, here and on line 1; keep one",
		},
		{
			name: "timezone empty",
			yaml: "timezone: ~\n",
			err:  ":1: timezone is empty; give a time zone name like America/Vancouver",
		},
		{
			name:     "a value given by reference",
			yaml:     "timezone: &z UTC\napp_id: *z\nbots: &b [\"274\"]\noffice_hours: 24/7\nexceptions: [&d 2025-12-25, *d]\n",
			zone:     "UTC",
			appID:    "UTC",
			bots:     "274",
			schedule: "24/7 in UTC, 1 day closed",
		},
		{name: "empty file", yaml: "", err: "the file is empty"},
		{name: "only comments", yaml: "# nothing yet\n", err: "the file is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeTemp(t, "workspace.yaml", []byte(tt.yaml))
			o, err := Input{Path: path}.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer o.Close()
			ws, err := ReadWorkspace(o)
			if tt.err != "" {
				if err == nil {
					t.Fatalf("no error, want %q", tt.err)
				}
				msg := strings.TrimPrefix(err.Error(), path)
				if !strings.Contains(msg, tt.err) || !strings.HasPrefix(err.Error(), path) {
					t.Errorf("error %q\nwant it to start with the path and contain %q", err, tt.err)
				}
				// One place, in file:line form; no Go types or YAML tags.
				if strings.Contains(msg, "\n") || strings.Contains(msg, "parse.") || strings.Contains(msg, "[]string") || strings.Contains(msg, "!!") || strings.Contains(msg, "unmarshal") || twoPlaces.MatchString(msg) {
					t.Errorf("error is not one plain sentence: %q", msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ws.Zone.String() != tt.zone || ws.AppID != tt.appID || strings.Join(ws.Bots, ",") != tt.bots {
				t.Errorf("zone %s app %q bots %q", ws.Zone, ws.AppID, ws.Bots)
			}
			sched := ""
			if ws.Schedule != nil {
				sched = ws.Schedule.String()
			}
			if sched != tt.schedule {
				t.Errorf("schedule %q, want %q", sched, tt.schedule)
			}
			if ws.File.Kind != KindWorkspace {
				t.Errorf("kind %q", ws.File.Kind)
			}
			checkFileInfo(t, path, ws.File)
		})
	}
}

// TestReadWorkspace_SizeBound: workspace.yaml is a few lines. --workspace
// /dev/zero grew past 3 GB (issue 13); a file past 1 MiB, or a device, is
// refused in one sentence.
func TestReadWorkspace_SizeBound(t *testing.T) {
	big := "timezone: UTC\n" + strings.Repeat("# a comment line\n", (maxWorkspaceBytes/17)+1)
	_, err := ReadWorkspace(openTemp(t, "workspace.yaml", []byte(big)))
	if err == nil || !strings.HasSuffix(err.Error(), "workspace.yaml: the file is larger than 1 MiB, far more than workspace settings take (a few lines); check that this is the workspace.yaml") {
		t.Errorf("err = %v", err)
	}
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	o, err := Input{Path: "/dev/zero"}.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if _, err := ReadWorkspace(o); err == nil || err.Error() != "/dev/zero: the file is larger than 1 MiB, far more than workspace settings take (a few lines); check that this is the workspace.yaml" {
		t.Errorf("/dev/zero: %v", err)
	}
	// Its identity is of the bytes read: a device is not read to its end.
	if fi := o.Info(KindWorkspace); fi.Bytes > 2*maxWorkspaceBytes {
		t.Errorf("Info read %d bytes of /dev/zero", fi.Bytes)
	}
}

// TestReadWorkspace_UTF16: settings saved as UTF-16 by a Windows editor.
func TestReadWorkspace_UTF16(t *testing.T) {
	text := "\ufefftimezone: Europe/Zürich\r\noffice_hours: Mon-Fri 09:00-17:00\r\n"
	_, err := ReadWorkspace(openTemp(t, "workspace.yaml", utf16LE([]byte(text))[2:]))
	if err == nil || !strings.Contains(err.Error(), `"Europe/Zürich" is not a time zone name`) {
		t.Errorf("the zone was not read as text: %v", err)
	}
	ws, err := ReadWorkspace(openTemp(t, "workspace.yaml", utf16LE([]byte("timezone: Europe/Zurich\r\noffice_hours: Mon-Fri 09:00-17:00\r\n"))))
	if err != nil || ws.Zone.String() != "Europe/Zurich" || ws.Schedule == nil {
		t.Errorf("%+v %v", ws, err)
	}
}

// TestReadWorkspace_GzipTrailingData: settings are read whole or not at all,
// so a gzipped workspace.yaml with more after its gzip data (perhaps more
// settings, appended) is refused, saying where the gzip data ends.
func TestReadWorkspace_GzipTrailingData(t *testing.T) {
	z := gzipBytes(t, []byte("timezone: UTC\n"))
	for _, tt := range []struct {
		name string
		data []byte
		want string // "" when read
	}{
		{"whole", z, ""},
		{"two members", append(slices.Clone(z), gzipBytes(t, []byte("office_hours: 24/7\n"))...), ""},
		{"settings appended", append(slices.Clone(z), "office_hours: Mon-Fri 09:00-17:00\n"...),
			fmt.Sprintf("workspace.yaml.gz: the gzip data ends at byte %d of the file, and what follows it is not gzip; settings are read whole or not at all, so the file is refused", len(z))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadWorkspace(openTemp(t, "workspace.yaml.gz", tt.data))
			switch {
			case tt.want == "" && err != nil:
				t.Fatal(err)
			case tt.want == "":
			case err == nil:
				t.Fatalf("read, want %q", tt.want)
			case withoutDir(err.Error()) != tt.want:
				t.Errorf("err %q\nwant %q", withoutDir(err.Error()), tt.want)
			}
		})
	}
}
