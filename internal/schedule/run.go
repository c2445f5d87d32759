package schedule

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/frebscan/frebscan/internal/atomicfile"
)

// DefaultUnitDir is where --install puts systemd units.
const DefaultUnitDir = "/etc/systemd/system"

// Output says what `frebscan schedule` does with what it generates.
type Output struct {
	// Install creates the schedule: schtasks on Windows, unit files (and
	// systemctl, unless NoEnable) for systemd.
	Install bool
	// File is where the task XML goes (UTF-16, for schtasks /XML).
	File string
	// UnitDir is where --install writes systemd units.
	UnitDir  string
	NoEnable bool
	// Run runs an external command (schtasks, systemctl); tests replace
	// it.
	Run func(name string, args ...string) error
	// TempDir holds the task XML handed to schtasks; "" is os.TempDir.
	TempDir string
}

// Run writes the schedule o describes: to stdout for reading, to
// out.File, or installed. Hints on what to do next go to stderr.
func Run(stdout, stderr io.Writer, o Options, out Output) error {
	if err := o.Validate(); err != nil {
		return err
	}
	switch o.Target {
	case Windows:
		return runWindows(stdout, stderr, o, out)
	case Cron:
		if out.Install {
			return errors.New("--install does not edit crontabs: add the line with crontab -e (as root)")
		}
		line, err := CronLine(o)
		if err != nil {
			return err
		}
		_, err = io.WriteString(stdout, line)
		return err
	default:
		return runSystemd(stdout, stderr, o, out)
	}
}

func runWindows(stdout, stderr io.Writer, o Options, out Output) error {
	task := NewTask(o)
	if out.Install {
		if out.Run == nil {
			return errors.New("--install creates the task with schtasks and works on Windows only; use --output FILE and run schtasks there")
		}
		file := out.File
		if file == "" {
			f, err := os.CreateTemp(out.TempDir, "frebscan-task-*.xml")
			if err != nil {
				return fmt.Errorf("task XML: %w", err)
			}
			f.Close()
			file = f.Name()
			defer os.Remove(file)
		}
		if err := writeTask(task, file); err != nil {
			return err
		}
		args := []string{"/Create", "/TN", o.Name, "/XML", file, "/F"}
		if err := out.Run("schtasks.exe", args...); err != nil {
			return fmt.Errorf("schtasks %s: %w (an elevated prompt is needed to create a task that runs as SYSTEM)", strings.Join(args, " "), err)
		}
		fmt.Fprintf(stderr, "frebscan: task %q created; run it now with: schtasks /Run /TN %s\n", o.Name, WindowsArgs([]string{o.Name}))
		return nil
	}
	if out.File != "" {
		if err := writeTask(task, out.File); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "frebscan: wrote %s; create the task (elevated) with:\n  schtasks /Create /TN %s /XML %s\n", out.File,
			WindowsArgs([]string{o.Name}), WindowsArgs([]string{out.File}))
		return nil
	}
	b, err := TaskXML(task)
	if err != nil {
		return err
	}
	if _, err := stdout.Write(b); err != nil {
		return err
	}
	fmt.Fprintln(stderr, "frebscan: schtasks wants this as UTF-16: save it with --output frebscan-task.xml, or create the task with --install (elevated)")
	return nil
}

func writeTask(t Task, file string) error {
	b, err := TaskXMLUTF16(t)
	if err != nil {
		return err
	}
	// The user names this file (schedule -o): a device there is theirs.
	return atomicfile.WriteOutput(file, 0o644, func(w io.Writer) error { _, err := w.Write(b); return err })
}

func runSystemd(stdout, stderr io.Writer, o Options, out Output) error {
	u := NewUnits(o)
	dir := out.UnitDir
	if dir == "" {
		dir = DefaultUnitDir
	}
	enable := [][]string{{"systemctl", "daemon-reload"}, {"systemctl", "enable", "--now", u.TimerName}}
	if !out.Install {
		fmt.Fprintf(stdout, "# %s\n%s\n# %s\n%s", filepath.Join(dir, u.ServiceName), u.Service, filepath.Join(dir, u.TimerName), u.Timer)
		fmt.Fprintf(stderr, "frebscan: install with --install (as root), or save both files there and run: %s && %s\n",
			strings.Join(enable[0], " "), strings.Join(enable[1], " "))
		return nil
	}
	// The unit names these directories in ReadWritePaths; systemd fails
	// the run ("Failed to set up mount namespacing") when one is missing.
	for _, d := range o.writableDirs() {
		if err := os.MkdirAll(d, 0o750); err != nil {
			return fmt.Errorf("create %s, which the unit writes to: %w", d, err)
		}
	}
	for _, f := range []struct{ name, text string }{{u.ServiceName, u.Service}, {u.TimerName, u.Timer}} {
		if err := atomicfile.WriteFile(filepath.Join(dir, f.name), []byte(f.text), 0o644); err != nil {
			return err
		}
		fmt.Fprintln(stderr, "frebscan: wrote", filepath.Join(dir, f.name))
	}
	if out.NoEnable || out.Run == nil {
		fmt.Fprintf(stderr, "frebscan: now run: %s && %s\n", strings.Join(enable[0], " "), strings.Join(enable[1], " "))
		return nil
	}
	for _, c := range enable {
		if err := out.Run(c[0], c[1:]...); err != nil {
			return fmt.Errorf("%s: %w", strings.Join(c, " "), err)
		}
	}
	fmt.Fprintf(stderr, "frebscan: %s enabled; see runs with: systemctl list-timers %s; journalctl -u %s\n", u.TimerName, u.TimerName, u.ServiceName)
	return nil
}
