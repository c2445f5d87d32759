package rules

import (
	"fmt"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/status"
)

// sspiCause is what the SSPI (or logon) status recorded on a 401.1 says
// about why Windows authentication failed. IIS writes the same 401.1 for
// a wrong password, a handshake split across connections and an Extended
// Protection binding mismatch; only the status tells them apart, so it,
// not the HTTP status, chooses the explanation.
type sspiCause int

const (
	// sspiUnknown: no status recorded, or one that names no cause here.
	sspiUnknown sspiCause = iota
	// sspiContinue: the handshake continuing (a challenge was sent), not
	// an error.
	sspiContinue
	// sspiLogonFailed: the credentials were read and refused (wrong
	// password, unknown user, locked, disabled or expired account).
	sspiLogonFailed
	// sspiInvalidToken: the token could not be used; for NTLM the first
	// suspect is a type 3 arriving on another connection or server than
	// the type 1 (auth-handshake-broken).
	sspiInvalidToken
	// sspiBadBindings: Extended Protection channel binding mismatch
	// (extended-protection-offload).
	sspiBadBindings
	// sspiKerberos: the Kerberos ticket is for another account (kerberos-spn).
	sspiKerberos
)

// Status codes a 401.1 can carry, as FREB writes them (HRESULTs, or
// NTSTATUS values where a module passes one through).
const (
	secContinueNeeded  uint32 = 0x00090312
	secOutOfSequence   uint32 = 0x80090310
	errLogonFailure    uint32 = 0x8007052E // ERROR_LOGON_FAILURE (1326)
	errAccountLocked   uint32 = 0x80070775 // ERROR_ACCOUNT_LOCKED_OUT (1909)
	errAccountDisabled uint32 = 0x80070533 // ERROR_ACCOUNT_DISABLED (1331)
	errPasswordExpired uint32 = 0x80070532 // ERROR_PASSWORD_EXPIRED (1330)
	errAccountExpired  uint32 = 0x80070701 // ERROR_ACCOUNT_EXPIRED (1793)
	ntLogonFailure     uint32 = 0xC000006D // STATUS_LOGON_FAILURE
	ntWrongPassword    uint32 = 0xC000006A // STATUS_WRONG_PASSWORD
	ntNoSuchUser       uint32 = 0xC0000064 // STATUS_NO_SUCH_USER
	ntAccountLocked    uint32 = 0xC0000234 // STATUS_ACCOUNT_LOCKED_OUT
	ntAccountDisabled  uint32 = 0xC0000072 // STATUS_ACCOUNT_DISABLED
	ntPasswordExpired  uint32 = 0xC0000071 // STATUS_PASSWORD_EXPIRED
	ntAccountExpired   uint32 = 0xC0000193 // STATUS_ACCOUNT_EXPIRED
)

// logonFailedCodes are the statuses that mean the credentials themselves
// were refused: the only ones for which "wrong password or account
// problem" is the explanation.
var logonFailedCodes = []uint32{secLogonDenied, errLogonFailure, errAccountLocked, errAccountDisabled, errPasswordExpired,
	errAccountExpired, ntLogonFailure, ntWrongPassword, ntNoSuchUser, ntAccountLocked, ntAccountDisabled, ntPasswordExpired, ntAccountExpired}

// sspiCauseOf classifies the trace's status codes, the most specific
// cause first: a trace can record a continue status from an earlier leg
// of the same connection and the failure after it.
func sspiCauseOf(s *diagnose.Subject) (sspiCause, uint32) {
	if c, ok := s.HasErrorCode(secBadBindings); ok {
		return sspiBadBindings, c
	}
	if c, ok := s.HasErrorCode(secWrongPrincipal, secSecpkgNotFound); ok {
		return sspiKerberos, c
	}
	if c, ok := s.HasErrorCode(secInvalidToken, secOutOfSequence); ok {
		return sspiInvalidToken, c
	}
	if c, ok := s.HasErrorCode(logonFailedCodes...); ok {
		return sspiLogonFailed, c
	}
	if c, ok := s.HasErrorCode(secContinueNeeded); ok {
		return sspiContinue, c
	}
	if c, ok := s.HasErrorCode(secNoCredentials); ok && s.Auth.NTLMType == 1 {
		// SEC_E_NO_CREDENTIALS answers the NTLM type 1 on many servers:
		// the challenge leg, not a failure.
		return sspiContinue, c
	}
	return sspiUnknown, 0
}

// codeName is a status as a report names it: "SEC_E_INVALID_TOKEN
// (0x80090308)", or the hex value when the tables do not know it.
func codeName(code uint32) string {
	info := status.Code(code)
	if info.Name == "" {
		return info.Hex
	}
	return fmt.Sprintf("%s (%s)", info.Name, info.Hex)
}

// authDeniedLogon fills m for a 401.1, letting the SSPI status choose
// the explanation.
func authDeniedLogon(s *diagnose.Subject, m *diagnose.Match) {
	cause, code := sspiCauseOf(s)
	switch {
	case cause == sspiContinue || s.Auth.NTLMType == 1 && cause == sspiUnknown:
		// IIS logs the challenge leg of NTLM as 401.1: the handshake
		// going as designed.
		m.Severity = sev(diagnose.Info)
		m.Summary = "the challenge leg of an NTLM/Negotiate handshake (continue needed): not an error"
	case cause == sspiLogonFailed:
		m.Severity = sev(diagnose.High)
		m.Summary = "logon failed: the user name or password is wrong, or the account is locked, disabled or expired (" + codeName(code) + ")"
	case cause != sspiUnknown:
		// The token was refused for a reason other than the credentials:
		// the specific rule (handshake, Extended Protection, SPN) says
		// which and supersedes this finding when it fires.
		m.Severity = sev(diagnose.High)
		m.Confidence = diagnose.ConfidenceMedium
		m.Summary = "the server could not use the authentication token (" + codeName(code) + "): " + status.Code(code).Text +
			" This is not a wrong password."
	default:
		m.Severity = sev(diagnose.High)
		m.Confidence = diagnose.ConfidenceMedium
		if c := s.ErrorCodes(); len(c) > 0 {
			m.Summary = "logon failed (401.1, " + codeName(c[0]) + "); the status does not say whether the credentials or the handshake failed"
		} else {
			m.Summary = "logon failed (401.1); the trace recorded no SSPI status, so the cause (credentials or a broken handshake) is not known"
		}
	}
}
