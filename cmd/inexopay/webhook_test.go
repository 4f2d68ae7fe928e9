package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/inexopay/inexopay-go"
)

// An event whose datetime the SDK could not read shows the text received,
// and its warnings, instead of a bare "-".
func TestEventShowsUnreadDatetime(t *testing.T) {
	ev := &inexopay.WebhookEvent{OrderID: "ORD1", Status: inexopay.StatusSuccess, RawDateTime: "soon",
		Warnings: []string{"datetime is not in a form the SDK reads"}}
	assert.Equal(t, `"soon" ORD1 success -`, eventLine(ev))
	j := toEventJSON(ev)
	assert.Equal(t, "soon", j.RawDateTime)
	assert.Equal(t, ev.Warnings, j.Warnings)
	assert.Empty(t, j.DateTime)
}
