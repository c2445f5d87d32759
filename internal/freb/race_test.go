//go:build race

package freb

const raceEnabled = true
