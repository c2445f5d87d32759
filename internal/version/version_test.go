package version

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestResolve(t *testing.T) {
	t.Parallel()
	vcs := func(rev, tm, mod string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev},
			{Key: "vcs.time", Value: tm}, {Key: "vcs.modified", Value: mod}}
	}
	const sha = "4405236aa1b2c3d4e5f60718293a4b5c6d7e8f90"
	tests := []struct {
		name                 string
		bi                   *debug.BuildInfo
		ldV, ldC, ldD, ldMod string
		want                 Info
		wantString           string
	}{
		{name: "no build info (go run, -buildvcs=false)", bi: nil,
			want: Info{Version: Dev}, wantString: "dev (commit unknown, GO PLATFORM)"},
		{name: "devel build without vcs", bi: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}},
			want: Info{Version: Dev, GoVersion: "go1.26.8"}, wantString: "dev (commit unknown, go1.26.8 PLATFORM)"},
		{name: "checkout build with vcs, clean",
			bi:         &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.1.1-0.20261129171817-4405236aa1b2"}, Settings: vcs(sha, "2026-11-29T17:18:17Z", "false")},
			want:       Info{Version: "0.1.1-0.20261129171817-4405236aa1b2", Commit: sha, Date: "2026-11-29T17:18:17Z", GoVersion: "go1.26.8"},
			wantString: "0.1.1-0.20261129171817-4405236aa1b2 (commit 4405236aa1b2, 2026-11-29T17:18:17Z, go1.26.8 PLATFORM)"},
		{name: "checkout build with vcs, dirty",
			bi:         &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: vcs(sha, "2026-11-29T17:18:17Z", "true")},
			want:       Info{Version: Dev, Commit: sha, Date: "2026-11-29T17:18:17Z", Modified: true, GoVersion: "go1.26.8"},
			wantString: "dev (commit 4405236aa1b2+dirty, 2026-11-29T17:18:17Z, go1.26.8 PLATFORM)"},
		{name: "go install @v0.1.0 (module version, no vcs)",
			bi:   &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.1.0"}},
			want: Info{Version: "0.1.0", GoVersion: "go1.26.8"}},
		{name: "release build: linker values win over build info",
			bi:  &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: vcs("ffff", "2000-01-01T00:00:00Z", "true")},
			ldV: "v0.2.0", ldC: sha, ldD: "2026-11-29T17:18:17Z", ldMod: "false",
			want:       Info{Version: "0.2.0", Commit: sha, Date: "2026-11-29T17:18:17Z", GoVersion: "go1.26.8"},
			wantString: "0.2.0 (commit 4405236aa1b2, 2026-11-29T17:18:17Z, go1.26.8 PLATFORM)"},
		{name: "a version that only starts with v is kept", bi: nil, ldV: "vNext", want: Info{Version: "vNext"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := resolve(tt.bi, tt.ldV, tt.ldC, tt.ldD, tt.ldMod)
			want := tt.want
			want.Platform = runtime.GOOS + "/" + runtime.GOARCH
			if want.GoVersion == "" {
				want.GoVersion = runtime.Version()
			}
			if got != want {
				t.Errorf("resolve:\n got %+v\nwant %+v", got, want)
			}
			if tt.wantString != "" {
				ws := strings.NewReplacer("GO", want.GoVersion, "PLATFORM", want.Platform).Replace(tt.wantString)
				if got.String() != ws {
					t.Errorf("String() = %q, want %q", got.String(), ws)
				}
			}
			if got.Tool() != "frebscan "+want.Version {
				t.Errorf("Tool() = %q", got.Tool())
			}
		})
	}
}

// The test binary itself: Get must work whatever the build flags, and
// never report an empty version.
func TestGetNeverEmpty(t *testing.T) {
	t.Parallel()
	in := Get()
	if in.Version == "" || in.GoVersion == "" || in.Platform != runtime.GOOS+"/"+runtime.GOARCH {
		t.Errorf("Get() = %+v", in)
	}
}
