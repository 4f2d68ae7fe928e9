// Package ist is India Standard Time, in which the INEXOPAY API writes its
// zone-less timestamps. It is the one definition the SDK (through
// internal/wire), the inexopaytest sandbox and the commands share.
package ist

import "time"

// Offset is the offset of IST from UTC in seconds: +05:30 all year, since
// India keeps no daylight saving time.
const Offset = 5*60*60 + 30*60

// Zone is India Standard Time, built without the tz database (which a
// machine may lack), so that reading and writing IST never fails.
var Zone = time.FixedZone("IST", Offset)

// Layout is the zone-less timestamp of the wallet and PAN answers and of
// the webhooks, such as "2026-05-04 15:30:00", which is IST.
const Layout = time.DateTime

// Format writes t in IST with Layout.
func Format(t time.Time) string { return t.In(Zone).Format(Layout) }
