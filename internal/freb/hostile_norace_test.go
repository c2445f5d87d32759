//go:build !race

package freb_test

const hostileBig = 100 << 20
