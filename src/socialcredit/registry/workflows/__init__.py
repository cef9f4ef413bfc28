"""Workflows over time: objections, repair applications, due-process deadlines, principals,
policy loading, agency views of their own submissions and notice senders."""
