"""The page readers' element text: what parsel's ``::text`` idioms give, read in one XPath."""

from parsel import Selector

from crawler.platforms.texts import has_text, joined_text, text_nodes

PAGE = Selector(
    text="<html><body>"
    "<h1>Man <b>arrested</b>\n after   chase</h1>"
    "<div id='empty'> <img src='a.png'> </div>"
    "<div id='script'><script>var x = 1;</script></div>"
    "<p id='note'>Call <!-- tip line --> 555-0100</p>"
    "</body></html>"
)


def test_joined_text_collapses_white_space_across_child_elements():
    assert joined_text(PAGE.css("h1")[0]) == "Man arrested after chase"


def test_text_nodes_are_in_document_order_and_leave_comments_out():
    assert text_nodes(PAGE.css("#note")[0]) == ["Call ", " 555-0100"]


def test_an_element_with_only_an_image_has_no_text():
    assert not has_text(PAGE.css("#empty")[0])
    assert has_text(PAGE.css("h1")[0])


def test_a_script_counts_as_text_as_it_does_for_parsel():
    node = PAGE.css("#script")[0]
    assert text_nodes(node) == node.css("::text").getall() == ["var x = 1;"]
    assert has_text(node)


def test_every_element_gives_what_the_parsel_idioms_give():
    for node in PAGE.css("*"):
        parsel_nodes = node.css("::text").getall()
        assert text_nodes(node) == parsel_nodes
        assert joined_text(node) == " ".join(" ".join(parsel_nodes).split())
        assert has_text(node) == bool("".join(parsel_nodes).strip())


def test_a_selector_that_is_not_an_element_falls_back_to_parsel():
    text = PAGE.xpath("//h1/text()")[0]
    assert text_nodes(text) == text.css("::text").getall()
    assert joined_text(text) == " ".join(" ".join(text.css("::text").getall()).split())
