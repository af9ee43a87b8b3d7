package civickit

// Channel is the way a contribution or a ballot reached the system. The
// texts civickit follows ask that a classic channel (paper) be offered
// beside the web, and that public internet access points and mediators
// reach people far from digital tools.
type Channel string

const (
	ChannelWeb      Channel = "web"      // online, by the person themselves
	ChannelPaper    Channel = "paper"    // a paper form or ballot keyed in by an agent
	ChannelKiosk    Channel = "kiosk"    // a public internet access point or voting booth
	ChannelMediator Channel = "mediator" // collected by a mediator (street, phone, home visit)
	ChannelImport   Channel = "import"   // bulk import from another system
)

// Channels lists every channel in a stable order.
func Channels() []Channel {
	return []Channel{ChannelWeb, ChannelPaper, ChannelKiosk, ChannelMediator, ChannelImport}
}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool {
	switch c {
	case ChannelWeb, ChannelPaper, ChannelKiosk, ChannelMediator, ChannelImport:
		return true
	}
	return false
}

// Assisted reports whether someone other than the person keyed the
// contribution in (every channel but the web).
func (c Channel) Assisted() bool { return c.Valid() && c != ChannelWeb }

// Provenance records how a contribution was collected: its channel, the
// agent or operator who collected it ("" on the web) and the access point
// or place where it was collected.
type Provenance struct {
	Channel     Channel `json:"channel"`
	CollectedBy string  `json:"collected_by,omitempty"`
	Place       string  `json:"place,omitempty"`
}

// Maximum lengths of Provenance's free fields, in bytes.
const (
	MaxCollectedByLen = 100
	MaxPlaceLen       = 100
)

// Validate checks p: a known channel; a collector on assisted channels
// (paper, mediator, import; a kiosk may be used without an operator) and
// none on the web; a place for paper, kiosk and mediator contributions.
// It returns a *ValidationError naming fields under "provenance".
func (p Provenance) Validate() error {
	ve := &ValidationError{}
	p.Check("provenance", ve)
	return ve.Err()
}

// Check adds p's broken rules to ve under prefix.
func (p Provenance) Check(prefix string, ve *ValidationError) {
	if !p.Channel.Valid() {
		ve.Add(JoinPath(prefix, "channel"), "oneof", "web paper kiosk mediator import")
		return
	}
	switch {
	case p.Channel == ChannelWeb && p.CollectedBy != "":
		ve.Add(JoinPath(prefix, "collected_by"), "excluded_with", "web")
	case p.Channel.Assisted() && p.Channel != ChannelKiosk && p.CollectedBy == "":
		ve.Add(JoinPath(prefix, "collected_by"), "required", "")
	}
	switch p.Channel {
	case ChannelPaper, ChannelKiosk, ChannelMediator:
		if p.Place == "" {
			ve.Add(JoinPath(prefix, "place"), "required", "")
		}
	}
	if len(p.CollectedBy) > MaxCollectedByLen {
		ve.Add(JoinPath(prefix, "collected_by"), "max", "100")
	}
	if len(p.Place) > MaxPlaceLen {
		ve.Add(JoinPath(prefix, "place"), "max", "100")
	}
}
