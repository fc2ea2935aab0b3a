package pull

import "encoding/json"

// filter is a single_filter_search_request.
type singleFilter struct {
	Field    string `json:"field"`
	Operator string `json:"operator"`
	Value    any    `json:"value"`
}

// multipleFilter is a multiple_filter_search_request.
type multipleFilter struct {
	Operator string `json:"operator"`
	Value    []any  `json:"value"`
}

func filter(field, op string, value any) singleFilter {
	return singleFilter{Field: field, Operator: op, Value: value}
}

// filters asks for after < field < before. The API's table calls ">" and
// "<" "greater (or equal)" and "lower (or equal)"; callers widen the bounds
// and cut the result themselves, so either reading is safe.
func filters(field string, after, before int64) multipleFilter {
	return andFilters(filter(field, ">", after), filter(field, "<", before))
}

func andFilters(fs ...any) multipleFilter {
	return multipleFilter{Operator: "AND", Value: fs}
}

// searchBody is a search_request for one page.
func searchBody(query any, cursor string, perPage int) ([]byte, error) {
	type pagination struct {
		PerPage       int    `json:"per_page"`
		StartingAfter string `json:"starting_after,omitempty"`
	}
	return json.Marshal(struct {
		Query      any        `json:"query"`
		Pagination pagination `json:"pagination"`
	}{query, pagination{perPage, cursor}})
}
