"""A hand-made briefing for the writer's tests, independent of the data and of `compose`."""

from __future__ import annotations

from jinwei.reports.document import Chart, Document, Figure, Heading, Paragraph, Series, Table

COUNTIES = ["蓬江区", "江海区", "新会区", "台山市", "开平市", "鹤山市", "恩平市"]


def sample_document() -> Document:
    return Document(
        title="恩平市高质量发展简报",
        subtitle="2024年9月",
        issuer="恩平市人民政府",
        date_line="2024年10月15日",
        blocks=[
            Heading("一、发展形势"),
            Paragraph("社会消费品零售总额首次突破百亿元，达101.23亿元，同比增长5.6%。"),
            Heading("（一）主要指标", level=2),
            Table(
                "主要经济指标",
                ["指标", "单位", "1—9月", "同比增长（%）"],
                [
                    ["地区生产总值", "亿元", "312.45", "4.2"],
                    ["社会消费品零售总额", "亿元", "101.23", "5.6"],
                ],
                [False, False, True, True],
            ),
            Figure(
                "各县（市、区）地区生产总值",
                Chart(
                    "bar",
                    "各县（市、区）地区生产总值",
                    COUNTIES,
                    [Series("2024年1—9月", [1200.5, 600, 1000, 500, 450, None, 312.45])],
                    "亿元",
                ),
            ),
            Heading("二、发展机遇"),
            Paragraph("珠江口西岸都市圈发展规划涉及我市16项事项，已落实14项。"),
            Heading("三、推进落实"),
            Figure(
                "重点项目投资完成情况",
                Chart(
                    "barh",
                    "投资",
                    ["智能装备特色产业园", "道氏新材料产业园"],
                    [Series("计划", [10.0, 8.0]), Series("完成", [7.5, 8.2])],
                    "亿元",
                ),
            ),
        ],
        notes=["本简报含示例数据。"],
    )
