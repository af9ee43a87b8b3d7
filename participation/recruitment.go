package participation

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
