"""The GraphQL adapter: types, queries over projections, mutations calling services."""
