"""60 retention and target marketing: defection propensity, retention campaigns, response targeting, pilots."""
