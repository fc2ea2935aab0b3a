package parse

import "reflect"

// structTags lists the csv tags of a struct's fields in order.
func structTags(v any) []string {
	t := reflect.TypeOf(v)
	tags := make([]string, 0, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		if tag := t.Field(i).Tag.Get("csv"); tag != "" {
			tags = append(tags, tag)
		}
	}
	return tags
}
