"""10 customer exit management: AHP factor weights, the neural-network exit classifier and the exit list."""
