//go:build !race

package scan

const hostileBig = 100 << 20
