package participation

// Channel is the way a contribution reached the consultation. The texts
// civickit follows ask that a classic channel (paper) be offered beside
// the web and that public internet access points be listed.
type Channel string

const (
	ChannelWeb      Channel = "web"      // online, by the participant
	ChannelPaper    Channel = "paper"    // paper form keyed in by an agent
	ChannelKiosk    Channel = "kiosk"    // public internet access point
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

// Assisted reports whether someone other than the participant keyed the
// contribution in (every channel but the web).
func (c Channel) Assisted() bool { return c.Valid() && c != ChannelWeb }

// Recruitment is how a respondent came to take part; an online
// consultation must at least identify its self-constituted panels.
type Recruitment string

const (
	RecruitOpenCall     Recruitment = "open_call"              // anyone who heard of it
	RecruitSelfPanel    Recruitment = "self_constituted_panel" // a group that formed itself
	RecruitRandomSample Recruitment = "random_sample"          // drawn at random
	RecruitStratified   Recruitment = "stratified_sample"      // drawn within strata (quotas)
	RecruitInvited      Recruitment = "invited_stakeholder"    // invited by the organiser
)

// Recruitments lists every recruitment type in a stable order.
func Recruitments() []Recruitment {
	return []Recruitment{RecruitOpenCall, RecruitSelfPanel, RecruitRandomSample, RecruitStratified, RecruitInvited}
}

// Valid reports whether r is a known recruitment type.
func (r Recruitment) Valid() bool {
	switch r {
	case RecruitOpenCall, RecruitSelfPanel, RecruitRandomSample, RecruitStratified, RecruitInvited:
		return true
	}
	return false
}

// Provenance records how a contribution was collected: its channel, the
// agent or operator who collected it ("" on the web) and the access point
// or place where it was collected.
type Provenance struct {
	Channel     Channel `json:"channel"`
	CollectedBy string  `json:"collected_by,omitempty"`
	Place       string  `json:"place,omitempty"`
}

// Maximum lengths of Provenance's free fields.
const (
	MaxCollectedByLen = 100
	MaxPlaceLen       = 100
)

// Validate checks p: a known channel; a collector on assisted channels
// (paper, mediator, kiosk operator or import job) and none on the web; a
// place for paper, kiosk and mediator contributions. It returns a
// *ValidationError naming fields under "provenance".
func (p Provenance) Validate() error {
	ve := &ValidationError{}
	p.check("provenance", ve)
	return ve.orNil()
}

func (p Provenance) check(prefix string, ve *ValidationError) {
	if !p.Channel.Valid() {
		ve.add(prefix+".channel", "oneof", "web paper kiosk mediator import")
		return
	}
	switch {
	case p.Channel == ChannelWeb && p.CollectedBy != "":
		ve.add(prefix+".collected_by", "excluded_with", "web")
	case p.Channel.Assisted() && p.Channel != ChannelKiosk && p.CollectedBy == "":
		ve.add(prefix+".collected_by", "required", "")
	}
	switch p.Channel {
	case ChannelPaper, ChannelKiosk, ChannelMediator:
		if p.Place == "" {
			ve.add(prefix+".place", "required", "")
		}
	}
	if len(p.CollectedBy) > MaxCollectedByLen {
		ve.add(prefix+".collected_by", "max", "100")
	}
	if len(p.Place) > MaxPlaceLen {
		ve.add(prefix+".place", "max", "100")
	}
}
