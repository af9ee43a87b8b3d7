// Package questionnaire is the expression step's form: questionnaires and
// their questions (texts, choices, rankings, matrices, numbers, scales,
// dates, majority-judgment and score grids) with display conditions;
// responses through every channel, one per participant whatever the
// channel, with their provenance and recruitment, anonymous when the
// questionnaire is; paper batches keyed twice and reconciled; results,
// whose grids, rankings and multiple choices are counted by package
// voting; and exports that leave out free text and small groups
// (k-suppression).
//
// The Service admits every respondent through the consultation core
// (Core, which *participation.Service implements): phase, channel
// offered, eligibility and the reflection step. Package storage
// implements Store (storage.NewQuestionnaireStore), and
// questionnairetest.TestStore checks any implementation.
package questionnaire
