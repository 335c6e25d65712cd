package engine

import (
	"fmt"

	"orderdesk/backend"
	"orderdesk/backend/tracking"
)

// PrepareShipment readies a shipment for ref the way every front end does
// it: the tracking number normalised, a known carrier under its usual
// name, the carrier's tracking page when no URL is given. Warnings (never
// refusals, SPEC §3) say that the number misses its carrier's format or is
// already on another cached order. A value longer than the desk accepts
// (backend.MaxTrackingNumber…) is refused first, as a *backend.TooLongError,
// before any work on it.
func (d *Desk) PrepareShipment(ref backend.Ref, sh backend.Shipment) (backend.Shipment, []string, error) {
	if err := (backend.Action{Kind: backend.ActionShip, Shipment: sh}).TooLong(); err != nil {
		return sh, nil, err
	}
	res := tracking.Validate(sh.Carrier, sh.TrackingNumber)
	sh.TrackingNumber = res.Number
	if res.KnownCarrier {
		sh.Carrier = res.Carrier.Name
	}
	if sh.TrackingURL == "" {
		sh.TrackingURL = tracking.URL(sh.Carrier, sh.TrackingNumber)
	}
	var warnings []string
	if res.Level == tracking.LevelWarning {
		warnings = append(warnings, res.Message)
	}
	others, err := d.store.ByTracking(sh.TrackingNumber)
	if err != nil {
		return sh, nil, err
	}
	for _, o := range others {
		if o != ref {
			warnings = append(warnings, fmt.Sprintf("tracking number %s is already on %s", sh.TrackingNumber, o))
		}
	}
	return sh, warnings, nil
}
