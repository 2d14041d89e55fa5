package screen

// Counts are a run's totals by outcome; they add up:
// Read = Refer + Review + Clear + Exempt + Rejected.
type Counts struct {
	Read, Refer, Review, Clear, Exempt, Rejected int
}

// Add counts one screened record with verdict v.
func (c *Counts) Add(v Verdict) {
	c.Read++
	switch v {
	case Refer:
		c.Refer++
	case Review:
		c.Review++
	case Clear:
		c.Clear++
	case Exempt:
		c.Exempt++
	}
}

// AddRejected counts one row that could not be screened.
func (c *Counts) AddRejected() {
	c.Read++
	c.Rejected++
}

// Plus is the sum of two counts.
func (c Counts) Plus(o Counts) Counts {
	return Counts{c.Read + o.Read, c.Refer + o.Refer, c.Review + o.Review, c.Clear + o.Clear, c.Exempt + o.Exempt, c.Rejected + o.Rejected}
}

// Balanced reports whether the counts add up.
func (c Counts) Balanced() bool {
	return c.Read == c.Refer+c.Review+c.Clear+c.Exempt+c.Rejected
}
