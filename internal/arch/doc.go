// Package arch holds the tests of the module's layering: which package
// may import which, and names that must not collide. It has no code.
package arch
