package intercom

import (
	"reflect"
	"testing"
)

func TestInitiatorFromEachSource(t *testing.T) {
	cases := []struct {
		name   string
		got    func() (Initiator, bool)
		want   Initiator
		wantOK bool
	}{
		{"API customer_initiated", func() (Initiator, bool) { return InitiatorFromDeliveredAs("customer_initiated") }, Customer, true},
		{"API admin_initiated", func() (Initiator, bool) { return InitiatorFromDeliveredAs("admin_initiated") }, Admin, true},
		{"API automated", func() (Initiator, bool) { return InitiatorFromDeliveredAs("automated") }, Automated, true},
		{"API campaigns_initiated", func() (Initiator, bool) { return InitiatorFromDeliveredAs("campaigns_initiated") }, Campaign, true},
		{"API operator_initiated is a custom bot", func() (Initiator, bool) { return InitiatorFromDeliveredAs("operator_initiated") }, Bot, true},
		{"API value from a future version", func() (Initiator, bool) { return InitiatorFromDeliveredAs("agent_initiated") }, Unknown, false},
		{"legacy UserMessage", func() (Initiator, bool) { return InitiatorFromMessageType("UserMessage") }, Customer, true},
		{"legacy AutoMessage", func() (Initiator, bool) { return InitiatorFromMessageType("automessage") }, Automated, true},
		{"CSV customer", func() (Initiator, bool) { return InitiatorFromCSV("Customer", "Inbound message") }, Customer, true},
		{"CSV manual message", func() (Initiator, bool) { return InitiatorFromCSV("Reply to Workflow/Message", "Manual message") }, Admin, true},
		// The export cannot tell a series from a custom bot: keep both.
		{"CSV bot auto message is ambiguous", func() (Initiator, bool) { return InitiatorFromCSV("Reply to Workflow/Message", "Bot auto message") }, Automated | Bot, true},
		{"CSV Started by alone", func() (Initiator, bool) { return InitiatorFromCSV("Reply to Workflow/Message", "") }, Admin | Automated | Bot, true},
		{"CSV source alone", func() (Initiator, bool) { return InitiatorFromCSV("", "Inbound message") }, Customer, true},
		{"CSV cells that contradict", func() (Initiator, bool) { return InitiatorFromCSV("Customer", "Bot auto message") }, Unknown, false},
		{"CSV unknown words", func() (Initiator, bool) { return InitiatorFromCSV("Teammate", "") }, Unknown, false},
		{"CSV empty", func() (Initiator, bool) { return InitiatorFromCSV("", "") }, Unknown, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := tc.got()
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("got %v, %v; want %v, %v", got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestInitiatorNames(t *testing.T) {
	cases := map[Initiator]string{
		Customer: "customer", Automated | Bot: "automated|bot", Unknown: "unknown",
		Admin | Automated | Bot: "admin|automated|bot",
	}
	for in, want := range cases {
		if got := in.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", in, got, want)
		}
		back, ok := ParseInitiator(want)
		if !ok || back != in {
			t.Errorf("ParseInitiator(%q) = %v, %v", want, back, ok)
		}
	}
	if !Customer.Exact() || (Automated | Bot).Exact() || Unknown.Exact() {
		t.Error("Exact is wrong")
	}
	if _, ok := ParseInitiator("robot"); ok {
		t.Error("ParseInitiator accepted robot")
	}
}

func TestInitiatorMixKeysAreStable(t *testing.T) {
	m := InitiatorMix{}
	for _, in := range []Initiator{Admin, Customer, Customer, Automated | Bot, Campaign, Admin} {
		m.Add(in)
	}
	want := []string{"admin", "customer", "automated|bot", "campaign"}
	if got := m.Keys(); !reflect.DeepEqual(got, want) {
		t.Errorf("Keys = %v, want %v", got, want)
	}
}
