//go:build !race

package freb

const raceEnabled = false
