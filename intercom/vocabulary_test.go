package intercom

import "testing"

func TestVocabularies(t *testing.T) {
	cases := []struct {
		name string
		got  Agreement
		want Agreement
	}{
		{"the export's Chat is the API's conversation", SameChannel("Chat", "conversation"), Agree},
		{"and 2.16's messenger", SameChannel("Chat", "messenger"), Agree},
		{"Email is not chat", SameChannel("Email", "conversation"), Disagree},
		{"an unknown channel word is ambiguous", SameChannel("Carrier pigeon", "conversation"), Ambiguous},
		{"the export's Priority is any level but none", SamePriority("Priority", "high"), Agree},
		{"Not Priority is none", SamePriority("Not Priority", "none"), Agree},
		{"Not Priority is not urgent", SamePriority("Not Priority", "urgent"), Disagree},
		{"2.9's not_priority is none", SamePriority("not_priority", "none"), Agree},
		{"low is not high", SamePriority("low", "high"), Disagree},
		{"the export's Priority facing 2.9's not_priority: low could be either", SamePriority("Priority", "not_priority"), Ambiguous},
		{"Not Priority facing priority: low could be either", SamePriority("Not Priority", "priority"), Ambiguous},
		{"Not Priority facing high", SamePriority("Not Priority", "high"), Disagree},
		{"Not Priority facing 2.16's low", SamePriority("Not Priority", "low"), Disagree},
		{"the export's words for a legacy campaign are not known", SameInitiator(Automated|Bot, Campaign), Ambiguous},
		{"Priority is not none", SamePriority("Priority", "none"), Disagree},
		{"a CSV that says automated or bot agrees with neither for sure", SameInitiator(Automated|Bot, Bot), Ambiguous},
		{"Customer is customer_initiated", SameInitiator(Customer, Customer), Agree},
		{"Customer is not a bot", SameInitiator(Customer, Bot), Disagree},
		{"automated|bot is not customer", SameInitiator(Automated|Bot, Customer), Disagree},
		{"tags in another order", SameTags("refund, billing", []string{"billing", "refund"}), Agree},
		{"a tag name holding the separator", SameTags("Billing, Refunds, VIP", []string{"VIP", "Billing, Refunds"}), Agree},
		{"a tag more on one side", SameTags("billing", []string{"billing", "vip"}), Disagree},
		{"no tags on either", SameTags("", nil), Agree},
		{"a tag only in the export", SameTags("vip", nil), Disagree},
	}
	for _, tc := range cases {
		if tc.got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}
