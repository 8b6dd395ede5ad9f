'use strict';
// Shared output helpers for the JS side of the parity scenarios; _fmt.py is
// the Python twin. Both print the same text for the same facts.

// A value as both sides print it: null/undefined -> 'null', booleans as
// true/false, Buffers as latin-1 text, errors through fmtErr.
function fmt(value) {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  if (value instanceof Error) return fmtErr(value);
  return String(value);
}

// The class family: TypeError, RangeError or Error (SystemError, AbortError
// and system errors are all 'Error').
function family(err) {
  if (err instanceof TypeError) return 'TypeError';
  if (err instanceof RangeError) return 'RangeError';
  return 'Error';
}

// Node ends some messages with a "Received ..." clause describing the JS
// value; the Python one describes the Python value, so only the part before
// it is compared.
function stripReceived(message) {
  const i = message.indexOf(' Received');
  return i === -1 ? message : message.slice(0, i);
}

// 'code family message'; `replace` maps substrings (an ephemeral port) to
// stable placeholders.
function fmtErr(err, replace = {}) {
  let message = stripReceived(String(err.message));
  for (const [from, to] of Object.entries(replace)) {
    message = message.split(String(from)).join(to);
  }
  return `${fmt(err.code)} ${family(err)} ${message}`;
}

function out(...parts) {
  console.log(parts.map(fmt).join(' '));
}

// Runs fn(); prints 'label ok' or 'label throws <fmtErr>'.
function attempt(label, fn, replace = {}) {
  try {
    fn();
    out(label, 'ok');
  } catch (err) {
    out(label, 'throws', fmtErr(err, replace));
  }
}

module.exports = { fmt, fmtErr, out, attempt };
