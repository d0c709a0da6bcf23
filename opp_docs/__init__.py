"""opp-docs: from a school's intake exports to finished OPP paperwork."""
