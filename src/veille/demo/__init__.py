"""The demo business (Peintures Martin, Angers) and its generated, labelled 14-day stream."""
