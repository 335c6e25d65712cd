// Package tracking knows carrier tracking-number formats: their shapes,
// their check digits, which carrier a number probably belongs to, and the
// page where it can be tracked.
//
// The package only reports. A number that fails its carrier's format or
// check digit gets a warning (LevelWarning) with a message for the
// operator; nothing here refuses a number, because carriers add formats
// faster than any table is updated. The caller decides whether to ask the
// operator to confirm.
//
// Every number is normalised first (see Normalize). The formats and check
// digit algorithms are written from the facts in
// shared/reference/ORDERS-FIELD-NOTES.md §4; no data file of another
// project is used.
//
// All tables are read-only package values; every function is safe for
// concurrent use.
package tracking
