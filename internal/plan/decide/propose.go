package decide

// Options tune the proposals.
type Options struct {
	// FallbackOwner is the Pipedrive user email that receives records of unmatched owners;
	// empty leaves them open, which blocks confirmation.
	FallbackOwner string
}

// Propose builds every decision from a snapshot scan and the destination.
func Propose(sc *Scan, dest Destination, opts Options) Decisions {
	return Decisions{
		Pipelines:     proposePipelines(sc, dest),
		Labels:        proposeLabels(sc, dest),
		ActivityTypes: proposeActivityTypes(sc, dest),
		Owners:        resolveOwners(sc, dest, opts.FallbackOwner),
	}
}
