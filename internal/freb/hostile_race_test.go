//go:build race

package freb_test

// hostileBig is the size of the oversized text node and attribute of the
// hostile files: 100 MB, or 16 MB under the race detector, which slows
// reading tenfold (the bound tested is the same).
const hostileBig = 16 << 20
